# Fuzzing: libFuzzer targets for the readers of untrusted text (Tests/Fuzz/), built into
# .build-fuzz with -sanitize=fuzzer,address. Seeds come from examples/, rules/ and the test
# fixtures (Tests/Fuzz/corpus.py); what libFuzzer finds stays in .build-fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv cells expr rule config sources mime outbox

.PHONY: fuzz fuzz-build fuzz-smoke

fuzz-build:
	sh Tests/Fuzz/fuzz.sh build

## Runs each fuzz target for FUZZ_SECONDS (default 60); fails on any crash.
fuzz: fuzz-build
	sh Tests/Fuzz/fuzz.sh run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

## The part of `make test`: each target for 30 s.
fuzz-smoke: fuzz-build
	sh Tests/Fuzz/fuzz.sh run 30 $(FUZZ_TARGETS)
