# The daemon's long crash test: many more SIGKILLs than `make test` runs.
SOAK_ROUNDS ?= 2000

.PHONY: soak
## Kills `kamwatch run` SOAK_ROUNDS times while its data changes, then audits exactly-once emission.
soak: build
	KAMWATCH_CRASH_ROUNDS=$(SOAK_ROUNDS) sh Tests/EndToEnd/test-daemon-crash.sh $(BIN)
