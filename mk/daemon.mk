# The daemon's long tests: many more SIGKILLs (with date rolls) than `make test` runs, then the
# accelerated resource soak (RSS and open descriptors at the start and end).
SOAK_ROUNDS ?= 2000
SOAK_MINUTES ?= 60

.PHONY: soak soak-crash soak-resources
soak: soak-crash soak-resources

## Kills `kamwatch run` SOAK_ROUNDS times while its data changes and its date rolls, then audits exactly-once emission.
soak-crash: build
	KAMWATCH_CRASH_ROUNDS=$(SOAK_ROUNDS) sh Tests/EndToEnd/test-daemon-crash.sh $(BIN)

## Runs `kamwatch run` SOAK_MINUTES with changing data and a fast clock; RSS and descriptors must stay flat.
soak-resources: build
	SOAK_MINUTES=$(SOAK_MINUTES) sh Tests/EndToEnd/soak-resources.sh $(BIN)
