# kamwatch — build, run, test.
SWIFT    ?= swift
BIN      := .build/debug/kamwatch
RELBIN   := .build/release/kamwatch

.PHONY: all deps build release run check-examples test bench format lint clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## Runs the daemon in the foreground on the bundled example data (state and outbox in .run/).
run: build
	sh scripts/run-example.sh $(BIN)

## Evaluates the example data once and prints the alerts.
check-examples: build
	$(BIN) check --data examples --rules rules --at 2026-11-20

## Lint (any finding fails), unit tests, then the end-to-end tests against the real binary and services.
test: deps lint
	$(SWIFT) build --build-tests
	sh scripts/with-journald.sh $(SWIFT) test --skip-build
	sh Tests/EndToEnd/run-all.sh $(BIN)

bench: release
	sh bench/run.sh $(RELBIN)

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests

## Fails on any finding of swift format (--strict turns its warnings into errors).
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean:
	rm -rf .build

# Feature-specific targets (install, soak, …) live in mk/.
-include mk/*.mk
