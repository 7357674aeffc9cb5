# tests/e820/e820.mk -- host test of the e820 and Page-array set-up:
# kern/mm/memmap.c (the sanitized map, page_init) and kern/mm/pmm/pool.c
# (pool_init: the kernel / process pool split), compiled unchanged with
# the default manager, on crafted BIOS maps (tests/e820/test_e820.c).
# Included by the top-level Makefile; paths are relative to the repo root.
#
#   make host-e820     every case: the frames it gives, or its panic message

E820_CFLAGS := -m32 -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP
E820_KINC := -DKERN_HOST_BUILD -DPMM_MANAGER=default_pmm_manager -Ilibs \
	-Ikern/debug -Ikern/driver -Ikern/sync -Ikern/mm -Ikern/mm/pmm \
	-Ikern/mm/alloc -fno-builtin
E820_TINC := -DKERN_HOST_BUILD -Ikern/debug -Ikern/driver -Ikern/sync \
	-Ikern/mm -Ikern/mm/pmm -Ikern/mm/alloc -idirafter libs
E820_KSRCS := kern/mm/memmap.c kern/mm/pmm/pool.c kern/mm/pmm/pmm_guard.c \
	kern/mm/alloc/block_list.c kern/mm/alloc/default_pmm.c
E820_OBJS := $(E820_KSRCS:%.c=build/e820/%.o) \
	build/e820/tests/e820/shim_e820.o build/e820/tests/e820/test_e820.o \
	build/e820/tests/lib/host_panic.o

build/e820/kern/%.o: kern/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(E820_CFLAGS) $(E820_KINC) -c $< -o $@

build/e820/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(Q)gcc $(E820_CFLAGS) $(E820_TINC) -c $< -o $@

build/e820/test_e820: $(E820_OBJS)
	$(Q)gcc $(E820_CFLAGS) $^ -o $@

.PHONY: host-e820
host-e820: build/e820/test_e820
	$(Q)$<

-include $(shell find build/e820 -name '*.d' 2>/dev/null)
