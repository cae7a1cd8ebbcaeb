# The example book, its expected alerts and the CSV dialect test.
.PHONY: examples examples-expected dialects

## Rewrites examples/*.csv from tools/make-examples.py (deterministic).
examples:
	python3 tools/make-examples.py --out examples

## The alerts the contract expects on examples/, from the plain-Python reference evaluator.
examples-expected:
	python3 tools/reference_check.py --data examples --at 2026-11-20

## The example book in every CSV dialect must give the same alerts as examples/.
dialects: build
	sh Tests/EndToEnd/test-dialects.sh $(BIN)
