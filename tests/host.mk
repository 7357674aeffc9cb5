# tests/host.mk -- host tests, fuzzing and benchmarks of the page allocators.
# Included by the top-level Makefile; every path is relative to the repo root.
#
#   make host-unit      cmocka unit tests (placement, split, coalesce, bad input,
#                       each manager's self-check on a private instance, kmalloc)
#   make host-model     10^6 random ops per manager, every op checked; then
#                       host-kmodel
#   make host-kmodel    10^6 random kmalloc/kfree calls per manager, every
#                       call checked (tests/host/kview.h)
#   make host-diff      fast_ff == default, call for call, on 10^6-op traces
#                       (at 4096 pages they cross fast_ff's list/index switch)
#   make host-badinput  the bad-input tests alone (also part of host-unit)
#   make fuzz-smoke     every libFuzzer target (one per manager, and
#                       kmalloc over all of them) for FUZZ_SMOKE_RUNS inputs
#   make fuzz           every libFuzzer target for FUZZ_TIME seconds
#   make bench          host benchmark (-O2 -m32) -> build/bench/results.md + PNGs,
#                       then find_vma against list + cache (tests/vma/vma.mk);
#                       replays timed by CPU time; BENCH_CLOCK=wall by the
#                       wall clock (a loaded machine inflates its ratios)
#   make bench-kernel   the in-kernel benchmark of every manager under QEMU,
#                       then make bench-cow and make bench-swap
#   make bench-swap     page-linear and page-merge-par under PROCMEM=512K at
#                       every replacement policy: faults, cycles per fault
#   make bench-cow      fork of a process with 4 MiB touched: copy-on-write
#                       against the eager copy (FORK=eager), from user space
#
# The kern/mm sources compile unchanged (tests/host/shim.c stands in for the
# rest of the kernel).  Kernel sources are built with the kernel's include
# path first, so their <stdio.h>/<string.h> are libs/ ones with libc behind
# them; harness sources see the system headers first and libs/ after them.

HOST_PMMS ?= default fast_ff best_fit buddy
HOST_CC ?= gcc
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
# The smoke is bounded by inputs, not seconds: on a loaded machine a time
# bound runs fewer (make test's other steps halved some targets' inputs).
FUZZ_SMOKE_RUNS ?= 100000
MODEL_OPS ?= 1000000
MODEL_BIG_OPS ?= 200000
KMODEL_CALLS ?= 1000000
DIFF_OPS ?= 1000000

HOST_WARN := -Wall -Wextra -Werror
# block_list.c is the list under default and best_fit; alloc_check.c the
# random workload of fast_ff's and buddy's self-checks.
HOST_KSRCS := kern/mm/pmm/pmm_guard.c kern/mm/alloc/block_list.c \
	kern/mm/alloc/alloc_check.c \
	$(HOST_PMMS:%=kern/mm/alloc/%_pmm.c) kern/mm/pmm/kmalloc.c
HOST_TLIB := tests/host/shim.c tests/lib/host_panic.c tests/host/view.c \
	tests/host/managers.c
# The kmalloc model's view (kview.c, on addrset.c), for kmodel and the
# kmalloc fuzz target.
HOST_KVIEW := tests/host/kview.c tests/host/addrset.c
HOST_KINC := -DKERN_HOST_BUILD -Ilibs -Ikern/debug -Ikern/mm -Ikern/mm/pmm -Ikern/mm/alloc -Ikern/mm/vmm -Ikern/mm/check -fno-builtin
HOST_TINC := -DKERN_HOST_BUILD -Ikern/debug -Ikern/mm -Ikern/mm/pmm -Ikern/mm/alloc -Ikern/mm/vmm -Ikern/mm/check -idirafter libs -Itests/host \
	$(HOST_PMMS:%=-DHOST_PMM_%)

# managers.c's table follows HOST_PMMS (-DHOST_PMM_<name>); the stamp
# changes when the list does, so every build of managers.o follows it too.
# A name without a row in the table is an error here, not a manager
# silently left out.
HOST_PMMS_STAMP := build/host-pmms
$(HOST_PMMS_STAMP): FORCE
	$(Q)for p in $(HOST_PMMS); do grep -q "^#ifdef HOST_PMM_$$p\$$" tests/host/managers.c || \
		{ echo "HOST_PMMS: $$p has no row in tests/host/managers.c" >&2; exit 1; }; done
	@mkdir -p $(dir $@)
	$(Q)echo '$(HOST_PMMS)' | cmp -s - $@ || echo '$(HOST_PMMS)' > $@

build/host/tests/host/managers.o build/fuzz/tests/host/managers.o \
	build/bench/tests/host/managers.o: $(HOST_PMMS_STAMP)

# $(call host_objs,dir,sources)
host_objs = $(patsubst %.c,$(1)/%.o,$(2))

# ---- unit, model and differential tests: build/host --------------------------
HOST_CFLAGS := -std=gnu11 -O2 -g -fno-omit-frame-pointer \
	-fsanitize=undefined -fno-sanitize-recover=all $(HOST_WARN) -MMD -MP
HOST_UNITS := $(patsubst tests/host/%.c,%,$(wildcard tests/host/test_*.c))
HOST_KOBJS := $(call host_objs,build/host,$(HOST_KSRCS))
HOST_LIBOBJS := $(HOST_KOBJS) $(call host_objs,build/host,$(HOST_TLIB))
HOST_TOBJS := $(call host_objs,build/host,$(HOST_TLIB) tests/host/unit.c \
	$(HOST_UNITS:%=tests/host/%.c) tests/host/model.c tests/host/diff.c \
	tests/host/kmodel.c $(HOST_KVIEW))

$(HOST_KOBJS): build/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_KINC) -c $< -o $@

$(HOST_TOBJS): build/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $(HOST_TINC) -c $< -o $@

$(HOST_UNITS:%=build/host/%): build/host/%: build/host/tests/host/%.o \
		build/host/tests/host/unit.o $(HOST_LIBOBJS)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -lcmocka -o $@

build/host/model build/host/diff: build/host/%: build/host/tests/host/%.o \
		$(HOST_LIBOBJS)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

build/host/kmodel: build/host/tests/host/kmodel.o \
		$(call host_objs,build/host,$(HOST_KVIEW)) $(HOST_LIBOBJS)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

.PHONY: host-unit host-model host-kmodel host-diff host-badinput fuzz-smoke fuzz bench bench-kernel bench-swap \
	bench-cow

host-unit: $(HOST_UNITS:%=build/host/%)
	$(Q)fail=0; for t in $^; do echo "== $$t"; $$t || fail=1; done; exit $$fail

host-badinput: build/host/test_badinput
	$(Q)$<

# 4096 pages for the million checked ops; then a deeper memory, fewer ops.
host-model: build/host/model build/host/kmodel
	$(Q)fail=0; for p in $(HOST_PMMS); do \
		$< $$p $(MODEL_OPS) 4096 || fail=1; \
		$< $$p $(MODEL_BIG_OPS) 32768 || fail=1; \
	done; $(MAKE) -s host-kmodel || fail=1; exit $$fail

# kmalloc on 4096 pages (16 MiB): memory runs out in one phase in four.
host-kmodel: build/host/kmodel
	$(Q)fail=0; for p in $(HOST_PMMS); do \
		$< $$p $(KMODEL_CALLS) 4096 || fail=1; \
	done; exit $$fail

# 4096 pages: fast_ff moves its blocks between list and index both ways.
host-diff: build/host/diff
	$(Q)$< $(DIFF_OPS) 4096 switch && $< $(DIFF_OPS) 32768 && \
		$< $(DIFF_OPS) 229376

# ---- libFuzzer targets: build/fuzz ---------------------------------------------
# x86-64 with ASan.  ASan's shadow gap covers the kernel's KERNBASE
# (0xC0000000), so the fuzz build moves the direct map, and the backing
# store kmalloc needs, to 0x40000000: ASan's low memory, below its shadow
# (tests/host/fuzz_kmalloc.c says why that is free).
# The kernel's sources and the targets get libFuzzer's coverage and
# comparison tracing (FUZZ_CFLAGS); the checking code (the views, the
# shim) only the sanitizers (FUZZ_TCFLAGS): its coverage would steer the
# fuzzer towards inputs that vary the checks, not the allocators, and its
# comparison tracing took three quarters of the run's time.
FUZZ_KERNBASE := 0x40000000
FUZZ_TCFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all $(HOST_WARN) -MMD -MP \
	-DHOST_KERNBASE=$(FUZZ_KERNBASE)
FUZZ_CFLAGS := $(FUZZ_TCFLAGS) -fsanitize=fuzzer
FUZZ_KOBJS := $(call host_objs,build/fuzz,$(filter-out kern/mm/pmm/kmalloc.c,$(HOST_KSRCS)))
FUZZ_TOBJS := $(call host_objs,build/fuzz,$(HOST_TLIB))
FUZZ_KMOBJS := $(call host_objs,build/fuzz,kern/mm/pmm/kmalloc.c)
FUZZ_KVOBJS := $(call host_objs,build/fuzz,$(HOST_KVIEW))
FUZZ_KTOBJ := build/fuzz/tests/host/fuzz_kmalloc.o
FUZZ_TARGETS := $(HOST_PMMS) kmalloc

$(FUZZ_KOBJS) $(FUZZ_KMOBJS): build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(HOST_KINC) -c $< -o $@

$(FUZZ_TOBJS) $(FUZZ_KVOBJS): build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_TCFLAGS) $(HOST_TINC) -c $< -o $@

$(FUZZ_KTOBJ): build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(HOST_TINC) -c $< -o $@

$(HOST_PMMS:%=build/fuzz/fuzz_%.o): build/fuzz/fuzz_%.o: tests/host/fuzz_pmm.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(HOST_TINC) -DFUZZ_PMM='"$*"' -c $< -o $@

$(HOST_PMMS:%=build/fuzz/fuzz_%): build/fuzz/fuzz_%: build/fuzz/fuzz_%.o \
		$(FUZZ_KOBJS) $(FUZZ_TOBJS)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $^ -o $@

build/fuzz/fuzz_kmalloc: $(FUZZ_KTOBJ) $(FUZZ_KVOBJS) $(FUZZ_KMOBJS) $(FUZZ_KOBJS) \
		$(FUZZ_TOBJS)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $^ -o $@

# $(call fuzz_run,libFuzzer's bound,what it means)
# ASan keeps freed heap blocks in a quarantine of 256 MiB by default; each
# input allocates its Page array and the harness's arrays afresh, so the
# runs walked through fresh memory, page fault after page fault.  16 MiB
# still holds the last few hundred inputs' blocks.
fuzz_run = fail=0; for p in $(FUZZ_TARGETS); do \
	mkdir -p build/fuzz/corpus/$$p; \
	echo "== fuzz $$p ($(2))"; \
	ASAN_OPTIONS=quarantine_size_mb=16$${ASAN_OPTIONS:+:$$ASAN_OPTIONS} \
	build/fuzz/fuzz_$$p $(1) -print_final_stats=1 \
		-artifact_prefix=build/fuzz/crash-$$p- build/fuzz/corpus/$$p \
		2>build/fuzz/$$p.log || { fail=1; tail -40 build/fuzz/$$p.log; }; \
	grep -E 'stat::number_of_executed_units|Done |allocator calls|kfree calls' build/fuzz/$$p.log; \
	done; exit $$fail

fuzz-smoke: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(Q)$(call fuzz_run,-runs=$(FUZZ_SMOKE_RUNS),$(FUZZ_SMOKE_RUNS) inputs)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(Q)$(call fuzz_run,-max_total_time=$(FUZZ_TIME),$(FUZZ_TIME) s)

# ---- host benchmark: build/bench ---------------------------------------------
BENCH_CFLAGS := -m32 -std=gnu11 -O2 $(HOST_WARN) -MMD -MP
BENCH_KOBJS := $(call host_objs,build/bench,$(HOST_KSRCS))
BENCH_TOBJS := $(call host_objs,build/bench,$(HOST_TLIB) tests/bench/bench.c \
	tests/bench/bench_kmalloc.c tests/lib/host_out.c)

$(BENCH_KOBJS): build/bench/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(BENCH_CFLAGS) $(HOST_KINC) -c $< -o $@

$(BENCH_TOBJS): build/bench/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(BENCH_CFLAGS) $(HOST_TINC) -c $< -o $@

build/bench/bench: $(BENCH_KOBJS) $(BENCH_TOBJS)
	$(Q)$(HOST_CC) $(BENCH_CFLAGS) $^ -o $@

bench: build/bench/bench
	$(Q)BENCH_CLOCK=$(BENCH_CLOCK) $< build/bench
	$(Q)cd build/bench && gnuplot ../../tests/bench/plots.gp
	@echo "wrote build/bench/results.md, build/bench/throughput.png, build/bench/fragmentation.png"
	@echo
	$(Q)$(MAKE) -s bench-vma

# ---- in-kernel benchmark: one BENCH=1 image per manager under QEMU -----------

bench-kernel:
	$(Q)for p in $(HOST_PMMS); do $(MAKE) -s PMM=$$p BENCH=1 >/dev/null || exit 1; done
	$(Q)tools/benchkernel.sh $(foreach p,$(HOST_PMMS),$(p)=$$($(MAKE) -s PMM=$(p) BENCH=1 print-image))
	@echo
	$(Q)$(MAKE) -s bench-cow
	@echo
	$(Q)$(MAKE) -s bench-swap

# ---- fork: copy-on-write against the eager copy ------------------------------
# The user program cowbench (rdtsc in ring 3) under a normal kernel and under
# a FORK=eager one; the BENCH=1 kernels stop before processes exist.
bench-cow:
	$(Q)$(MAKE) -s >/dev/null && $(MAKE) -s FORK=eager >/dev/null
	$(Q)tools/benchcow.sh $$($(MAKE) -s print-image) $$($(MAKE) -s FORK=eager print-image)

# ---- swap: every replacement policy in the kernel ----------------------------
# page-linear and page-merge-par under PROCMEM=512K, one kernel per policy
# (tools/benchswap.sh): faults, write-backs and cycles per fault.
bench-swap:
	$(Q)for p in $(SWAP_POLICIES); do $(MAKE) -s SWAP=$$p >/dev/null || exit 1; done
	$(Q)tools/benchswap.sh $(foreach p,$(SWAP_POLICIES),$(p)=$$($(MAKE) -s SWAP=$(p) print-image))

-include $(shell find build/host build/fuzz build/bench -name '*.d' 2>/dev/null)
