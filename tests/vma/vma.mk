# tests/vma/vma.mk -- host benchmark of find_vma (kern/mm/vmm/vma.c, compiled
# unchanged) against ucore's sorted list with a one-entry cache, and the
# host test of kern/mm/vmm/vmpool.c on kern/mm/vmm/mm_region.c and vma.c
# (all compiled unchanged) against a model.
# Included by the top-level Makefile; paths are relative to the repo root.
#
#   make bench-vma     lookups/s at 10, 1 000 and 100 000 regions
#   make host-vmpool   VMPool free ranges and first fit vs the model

VMA_CFLAGS := -m32 -std=gnu11 -O2 -Wall -Wextra -Werror -MMD -MP
VMA_KINC := -DKERN_HOST_BUILD -Ilibs -Ikern/debug -Ikern/mm -Ikern/mm/pmm -Ikern/mm/alloc -Ikern/mm/vmm -Ikern/mm/check -fno-builtin
VMA_TINC := -DKERN_HOST_BUILD -Ikern/debug -Ikern/mm -Ikern/mm/pmm -Ikern/mm/alloc -Ikern/mm/vmm -Ikern/mm/check -idirafter libs
VMA_OBJS := build/vma/kern/mm/vmm/vma.o build/vma/tests/vma/shim_vma.o \
	build/vma/tests/vma/bench_vma.o

build/vma/kern/mm/%.o: kern/mm/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(VMA_CFLAGS) $(VMA_KINC) -c $< -o $@

build/vma/tests/vma/%.o: tests/vma/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(VMA_CFLAGS) $(VMA_TINC) -c $< -o $@

build/vma/bench_vma: $(VMA_OBJS)
	$(Q)gcc $(VMA_CFLAGS) $^ -o $@

VMPOOL_OBJS := build/vma/kern/mm/vmm/vma.o build/vma/kern/mm/vmm/mm_region.o \
	build/vma/kern/mm/vmm/vmpool.o build/vma/tests/vma/shim_vma.o \
	build/vma/tests/vma/shim_vmpool.o build/vma/tests/vma/test_vmpool.o

build/vma/test_vmpool: $(VMPOOL_OBJS)
	$(Q)gcc $(VMA_CFLAGS) $^ -o $@

.PHONY: bench-vma host-vmpool
bench-vma: build/vma/bench_vma
	$(Q)$<

host-vmpool: build/vma/test_vmpool
	$(Q)$<

-include $(shell find build/vma -name '*.d' 2>/dev/null)
