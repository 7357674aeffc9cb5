# tests/replace/replace.mk -- the page replacement policies on the host
# (kern/mm/swap/swap_*.c, compiled unchanged against tests/replace/sim.c).
# Included by the top-level Makefile; paths are relative to the repo root.
#
#   make bench-replace  every policy, LRU and OPT on the same traces at 16,
#                       64 and 256 frames -> build/bench/replace.{csv,md,png}
#   make host-replace   the policies' correctness test (test_replace.c)

REPLACE_CFLAGS := -std=gnu11 -O2 -g $(WARN) -MMD -MP
REPLACE_KINC := -DKERN_HOST_BUILD -Ilibs -Ikern/debug -Ikern/mm -Ikern/mm/pmm \
	-Ikern/mm/swap -fno-builtin
REPLACE_TINC := -DKERN_HOST_BUILD -Ikern/debug -Ikern/mm -Ikern/mm/pmm \
	-Ikern/mm/swap -idirafter libs
REPLACE_KOBJS := $(SWAP_POLICIES:%=build/replace/kern/mm/swap/swap_%.o)
REPLACE_LIB := $(REPLACE_KOBJS) build/replace/tests/replace/sim.o \
	build/replace/tests/replace/traces.o build/replace/tests/lib/host_panic.o \
	build/replace/tests/lib/host_out.o

build/replace/kern/%.o: kern/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(REPLACE_CFLAGS) $(REPLACE_KINC) -c $< -o $@

build/replace/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(REPLACE_CFLAGS) $(REPLACE_TINC) -c $< -o $@

build/replace/bench_replace build/replace/test_replace: build/replace/%: \
		build/replace/tests/replace/%.o $(REPLACE_LIB)
	$(Q)gcc $(REPLACE_CFLAGS) $^ -lm -o $@

.PHONY: bench-replace host-replace
bench-replace: build/replace/bench_replace obj/.deps-plot
	@mkdir -p build/bench
	$(Q)$< build/bench tests/replace/traces
	$(Q)cd build/bench && gnuplot -e "names='$$(cat replace.names)'" \
		../../tests/replace/plot.gp
	@echo "wrote build/bench/replace.csv, build/bench/replace.md, build/bench/replace.png"

host-replace: build/replace/test_replace
	$(Q)$<

-include $(shell find build/replace -name '*.d' 2>/dev/null)
