# Instruction counts of reading the 100k book and its Bitrix24 export, under valgrind's
# callgrind (steady on a busy machine; not part of make bench). Needs valgrind.
.PHONY: bench-callgrind
bench-callgrind: release
	sh bench/callgrind.sh $(RELBIN)
