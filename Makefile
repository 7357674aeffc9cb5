# Makefile -- build, run, debug, grade and test the kernel.
#
#   make               bin/ucore.img (plus kernel.asm / kernel.sym beside it)
#                      (every QEMU run also gets bin/swap.img as its second
#                      disk, the primary slave: made on first use)
#   make qemu-nox      boot in this terminal (quit: Ctrl-a x)
#   make qemu          a window when a display exists, else like qemu-nox
#   make debug         QEMU paused + GDB attached, in this terminal
#   make qemu-gdb / make gdb   the same in two terminals
#   make grade         boot headless and score the boot log
#   make test          every test (installs missing tools first)
#   make mutate        plant each mutant of tests/mutants/LIST in a scratch
#                      copy, run the tests that should catch it, print the
#                      mutation score (MUTANTS="a b": only those)
#
# Variables: PMM=default|fast_ff|best_fit|buddy  QEMUMEM=128M  GDBPORT=1234
#            BENCH=1 (kernel benchmark build)  V=1 (show commands)
#            PROC_LOW_PERCENT=N (share of low memory in the process pool)
#            PROG=NAME|all (the user program(s) initproc runs; fw_cfg)
#            FORK=eager (fork copies every page instead of copy-on-write;
#            for make bench-cow)
#            SWAPSIZE=32M (size of the swap disk bin/swap.img)
#            SWAP_DISK=0 (boot without the swap disk)
#            SWAP=clockpro|clock|eclock|fifo (the replacement policy)
#            PROCMEM=SIZE (e.g. 512K: leave only SIZE of the process pool
#            to the programs, so they swap; fw_cfg, no rebuild)
#            VAPA=1 (virtual address == physical address: KERNBASE 0;
#            Lab 2 only, lab2.md question (e))

PMM ?= default
QEMUMEM ?= 128M
GDBPORT ?= 1234
BENCH ?=
PROC_LOW_PERCENT ?=
PROG ?=
PROCMEM ?=
FORK ?=
VAPA ?=
SWAPSIZE ?= 32M
SWAP_DISK ?= 1
# The replacement policies (kern/mm/swap/swap_NAME.c, each exporting
# swap_manager_NAME); SWAP picks the one the kernel uses.
SWAP_POLICIES := fifo clock eclock clockpro
SWAP_DEFAULT := clockpro
SWAP ?= $(SWAP_DEFAULT)

ifneq ($(filter-out eager,$(FORK)),)
$(error FORK=$(FORK): only FORK=eager (or nothing: copy-on-write))
endif
ifneq ($(filter-out 1,$(VAPA)),)
$(error VAPA=$(VAPA): only VAPA=1 (or nothing: KERNBASE 0xC0000000))
endif
ifneq ($(filter-out 0 1,$(SWAP_DISK)),)
$(error SWAP_DISK=$(SWAP_DISK): 1 (the default: a swap disk) or 0 (none))
endif
ifeq ($(filter $(SWAP),$(SWAP_POLICIES)),)
$(error SWAP=$(SWAP): no such policy; choose one of $(SWAP_POLICIES))
endif
ifeq ($(wildcard kern/mm/alloc/$(PMM)_pmm.c),)
$(error PMM=$(PMM): no kern/mm/alloc/$(PMM)_pmm.c; choose one of $(patsubst kern/mm/alloc/%_pmm.c,%,$(wildcard kern/mm/alloc/*_pmm.c)))
endif

# One object directory per configuration for the sources its settings
# change (CONFIG_SRCS, below), so a grade or bench build never changes
# the objects of a later normal build.
CONFIG := $(PMM)$(if $(filter-out $(SWAP_DEFAULT),$(SWAP)),-$(SWAP))$(if $(BENCH),-bench)$(if $(PROC_LOW_PERCENT),-low$(PROC_LOW_PERCENT))$(if $(FORK),-fork$(FORK))$(if $(VAPA),-vapa)
OBJDIR := obj/$(CONFIG)
# The objects no configuration variable changes (all but CONFIG_SRCS's,
# the user programs and the boot sector) are built once for every
# configuration of one layout, VAPA or not.
SHARED := obj/shared$(if $(VAPA),-vapa)
BINDIR := $(if $(filter default,$(CONFIG)),bin,bin/$(CONFIG))
KERNEL := $(BINDIR)/kernel
IMG := $(BINDIR)/ucore.img
# One swap disk for every configuration: its contents mean nothing at boot.
SWAPIMG := bin/swap.img
SWAPDEP := $(if $(filter 0,$(SWAP_DISK)),,$(SWAPIMG))

V ?=
Q := $(if $(V),,@)

CC := gcc
LD := ld
QEMU := qemu-system-i386
GDB := gdb

INCLUDES := $(addprefix -I,libs kern/debug kern/driver kern/trap kern/mm \
                kern/mm/pmm kern/mm/alloc kern/mm/swap kern/mm/vmm kern/mm/check \
                kern/monitor kern/libs kern/sync kern/schedule kern/process \
                kern/syscall kern/init)
WARN := -Wall -Wextra -Werror
# Under VAPA (KERNBASE 0) every "la >= KERNBASE" bound of the kernel half
# is always true and every "la < KERNBASE" always false: -Wtype-limits
# would reject the source that is right for both layouts.
# KCFLAGS_SHARED for the shared objects; KCFLAGS adds the configuration's
# macros, which only CONFIG_SRCS read.
KCFLAGS_SHARED := -m32 -march=i686 -std=gnu11 -ffreestanding -nostdinc -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -Og -g $(WARN) $(INCLUDES) -MMD -MP \
	-Wa,--noexecstack $(if $(VAPA),-DVAPA -Wno-type-limits)
KCFLAGS := $(KCFLAGS_SHARED) -DPMM_MANAGER=$(PMM)_pmm_manager \
	-DSWAP_MANAGER=swap_manager_$(SWAP) $(if $(BENCH),-DPMM_BENCH) \
	$(if $(PROC_LOW_PERCENT),-DPROC_POOL_LOW_PERCENT=$(PROC_LOW_PERCENT)) \
	$(if $(FORK),-DFORK_EAGER)
BCFLAGS := -m32 -march=i386 -std=gnu11 -ffreestanding -nostdinc -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-Os -Wa,--noexecstack $(WARN) $(INCLUDES) -MMD -MP
# Asked at link time, in the recipe: on a fresh machine the 32-bit libgcc
# exists only after tools/deps.sh has run, which is after this Makefile is
# read (a parse-time $(shell) would see no libgcc and link without it).
LIBGCC = $$($(CC) -m32 -print-libgcc-file-name)

# The kernel's sources, a list per layer (bottom up).  Of the managers only
# the selected one is linked, with the block list under first-fit and
# best-fit (its first-fit runs the process pool when the selected manager
# is written the handout's way) and alloc_check.c, the random workload of
# fast_ff's and buddy's self-checks (small, so always linked).
LIBS_SRCS := libs/string.c libs/printfmt.c kern/libs/stdio.c kern/libs/readline.c
DEBUG_SRCS := kern/debug/panic.c kern/debug/kdebug.c
DRIVER_SRCS := $(addprefix kern/driver/,cga.c console.c clock.c intr.c picirq.c poweroff.c \
	fw_cfg.c ide.c)
TRAP_SRCS := kern/trap/gdt.c kern/trap/trap.c kern/trap/trapentry.S
ALLOC_SRCS := kern/mm/alloc/block_list.c kern/mm/alloc/alloc_check.c \
	kern/mm/alloc/$(PMM)_pmm.c
MM_SRCS := kern/mm/memmap.c
PMM_SRCS := $(addprefix kern/mm/pmm/,pmm.c pool.c pmm_guard.c kmap.c pmm_print.c \
	kmalloc.c)
SWAPCORE_SRCS := $(addprefix kern/mm/swap/,swapfs.c frame.c swap.c)
VMM_SRCS := $(addprefix kern/mm/vmm/,vma.c mm_pgtable.c mm_region.c mm_stack.c vmm.c \
	pgfault.c vmpool.c vm_probe.S vm_probe_fixup.c cow.c mm_dup.c uaccess.c \
	mm_heap.c)
CHECK_SRCS := $(addprefix kern/mm/check/,mem_snap.c frame_hold.c pmm_check.c \
	vmm_check.c pgtable_check.c vmpool_check.c swap_check.c) \
	$(if $(BENCH),kern/mm/check/pmm_bench.c)
SCHED_SRCS := kern/schedule/sched.c
PROC_SRCS := $(addprefix kern/process/,proc.c exec.c run.c switch.S entry.S)
SYSCALL_SRCS := kern/syscall/syscall.c kern/syscall/sysmem.c
MONITOR_SRCS := $(addprefix kern/monitor/,kmonitor.c mon_vm.c badinput.c)
INIT_SRCS := kern/init/entry.S kern/init/init.c
KSRCS := $(LIBS_SRCS) $(DEBUG_SRCS) $(DRIVER_SRCS) $(TRAP_SRCS) $(MM_SRCS) \
	$(ALLOC_SRCS) $(PMM_SRCS) $(SWAPCORE_SRCS) $(VMM_SRCS) $(CHECK_SRCS) $(SCHED_SRCS) \
	$(PROC_SRCS) $(SYSCALL_SRCS) $(MONITOR_SRCS) $(INIT_SRCS)
# The sources that read a configuration macro (PMM_MANAGER and
# PROC_POOL_LOW_PERCENT, SWAP_MANAGER, PMM_BENCH, FORK_EAGER): built per
# configuration in $(OBJDIR).  A source that starts reading one belongs
# here.
CONFIG_SRCS := kern/mm/pmm/pool.c kern/mm/swap/swap.c kern/init/init.c \
	kern/mm/vmm/mm_dup.c
# kobj SRC -- the object of a kernel source, in $(OBJDIR) or $(SHARED).
kobj = $(if $(filter $(1),$(CONFIG_SRCS)),$(OBJDIR),$(SHARED))/$(patsubst %.S,%.o,$(1:.c=.o))

# Every replacement policy is compiled, into an archive linked after the
# kernel's objects: the link takes only the policy the kernel refers to
# (SWAP_MANAGER, -DSWAP_MANAGER=swap_manager_$(SWAP)), so the others cost
# nothing but are always built with the kernel's flags.
SWAP_SRCS := $(SWAP_POLICIES:%=kern/mm/swap/swap_%.c)
SWAP_LIB := $(SHARED)/libswap.a

# The user programs (user/NAME.c), in the order PROG=all runs them, each
# linked with the user library and then into the kernel as a binary blob
# (ld -b binary, whose symbols spell a '-' of NAME as '_') listed in a
# generated table (kern/process/userprog.h).  USER_TOOLS are linked the
# same way but run only by name (PROG=NAME, `run NAME`), not by PROG=all:
# benchmarks.
USER_PROGS := hello forktest forktree exit yield spin waitkill badarg testbss \
	faultread faultreadkernel divzero softint badsegment pgdir cow heap \
	vmpool-user pt-grow-stack pt-grow-pusha pt-big-stk-obj pt-grow-stk-sc \
	pt-grow-bad pt-bad-addr pt-bad-read pt-write-code pt-write-code2 \
	page-linear page-parallel page-shuffle page-merge-seq page-merge-par \
	page-merge-stk swap-share pt-stack-max fork-bomb
USER_TOOLS := cowbench
USER_ALL := $(USER_PROGS) $(USER_TOOLS)
ULIB_SRCS := user/libs/initcode.S user/libs/umain.c user/libs/ulib.c \
	user/libs/syscall.c user/libs/stdio.c user/libs/test.c user/libs/malloc.c \
	user/libs/arc4.c user/libs/cksum.c user/libs/merge.c libs/string.c \
	libs/printfmt.c
UOBJ := $(SHARED)/uobj
UPROG := $(SHARED)/uprog
ULIB_OBJS := $(patsubst %.S,$(UOBJ)/%.o,$(ULIB_SRCS:%.c=$(UOBJ)/%.o))
# initcode.o comes first (_start at UTEXT + 0x20); the rest is an archive,
# so a program carries only the library objects it uses (merge.c's 2 MiB
# of bss, for one, only in the page-merge tests; test.c's data only in the
# tests: pgdir keeps its 5 user pages).
ULIB_START := $(UOBJ)/user/libs/initcode.o
ULIB_A := $(UOBJ)/libulib.a
UCFLAGS := -m32 -march=i686 -std=gnu11 -ffreestanding -nostdinc -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -Og -g $(WARN) -Iuser/libs -Ilibs -MMD -MP \
	-Wa,--noexecstack

KOBJS := $(foreach s,$(KSRCS),$(call kobj,$(s))) \
	$(OBJDIR)/kern/trap/vectors.o $(USER_ALL:%=$(UPROG)/%.bin.o) \
	$(UPROG)/progs.o
BOBJS := $(SHARED)/boot/bootasm.o $(SHARED)/boot/bootmain.o

.PHONY: all qemu qemu-nox debug qemu-gdb gdb grade test mutate clean deps print-image print-config-srcs format FORCE
# A recipe that fails leaves no half-written target (vectors.S is written
# by a redirection) for the next make to take as up to date.
.DELETE_ON_ERROR:
# Nor does make delete what it made on the way (the objects of the user
# programs, linked and then wrapped): they are shared by every
# configuration, and another configuration's make would rebuild them.
.SECONDARY:
all: $(IMG)

print-image:
	@echo $(IMG)

print-config-srcs:
	@echo $(CONFIG_SRCS)

deps: obj/.deps-build

# obj/.deps-LEVEL: tools/deps.sh found (or installed) what LEVEL needs.
# Every object waits for the build level, so a fresh machine gets its
# compilers before the first compile; qemu/grade/debug need more.
obj/.deps-%: tools/deps.sh
	@mkdir -p obj
	$(Q)tools/deps.sh $*
	@touch $@

# ---- the kernel -----------------------------------------------------------
$(OBJDIR)/%.o: %.c | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(SHARED)/%.o: %.c | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(KCFLAGS_SHARED) -c $< -o $@

$(SHARED)/%.o: %.S | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AS    $<")
	$(Q)$(CC) $(KCFLAGS_SHARED) -c $< -o $@

# obj/tools is shared by every configuration: its programs are built once
# (two configurations building at the same time must not rewrite one).
obj/tools/vectors: tools/vectors.c | obj/.deps-build
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 $(WARN) $< -o $@

$(OBJDIR)/kern/trap/vectors.S: obj/tools/vectors
	@mkdir -p $(dir $@)
	$(Q)obj/tools/vectors > $@

$(OBJDIR)/kern/trap/vectors.o: $(OBJDIR)/kern/trap/vectors.S
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# Two links: the first gives the addresses for the symbol table, the second
# adds the table after all code.  Text addresses must not move.
$(OBJDIR)/ksyms0.S: tools/mksyms.sh
	@mkdir -p $(dir $@)
	$(Q)tools/mksyms.sh > $@

# swap.c names the policy (-DSWAP_MANAGER) and the default configuration's
# directory does not say which: a stamp per policy rebuilds it when SWAP,
# or the default, changes.
$(OBJDIR)/kern/mm/swap/swap.o: $(OBJDIR)/.swap-$(SWAP)
$(OBJDIR)/.swap-$(SWAP):
	$(Q)mkdir -p $(dir $@) && rm -f $(OBJDIR)/.swap-* && touch $@

$(SWAP_LIB): $(SWAP_SRCS:%.c=$(SHARED)/%.o)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# The linker script takes KERNBASE from memlayout.h (0 under VAPA).
$(OBJDIR)/kernel.ld: tools/kernel.ld.S kern/mm/memlayout.h Makefile
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -undef -x c -D__ASSEMBLER__ $(if $(VAPA),-DVAPA) -Ikern/mm \
		$< -o $@

$(OBJDIR)/kernel.pass1: $(KOBJS) $(SWAP_LIB) $(OBJDIR)/ksyms0.o $(OBJDIR)/kernel.ld Makefile
	$(Q)$(LD) -m elf_i386 --fatal-warnings -nostdlib -T $(OBJDIR)/kernel.ld -o $@ $(KOBJS) \
		$(OBJDIR)/ksyms0.o $(SWAP_LIB) $(LIBGCC)

$(OBJDIR)/ksyms.S: $(OBJDIR)/kernel.pass1 tools/mksyms.sh
	$(Q)tools/mksyms.sh $< > $@

$(OBJDIR)/%.o: $(OBJDIR)/%.S
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KERNEL): $(OBJDIR)/kernel.pass1 $(OBJDIR)/ksyms.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD    $@")
	$(Q)$(LD) -m elf_i386 --fatal-warnings -nostdlib -T $(OBJDIR)/kernel.ld -o $@ $(KOBJS) \
		$(OBJDIR)/ksyms.o $(SWAP_LIB) $(LIBGCC)
	$(Q)tools/mksyms.sh $< | cmp -s - $(OBJDIR)/ksyms.S && \
		tools/mksyms.sh $@ | cmp -s - $(OBJDIR)/ksyms.S || \
		{ echo "kernel: text moved between the two links" >&2; rm -f $@; exit 1; }
	$(Q)objdump -S $@ > $(BINDIR)/kernel.asm
	$(Q)nm -n $@ > $(BINDIR)/kernel.sym

# ---- the user programs ----------------------------------------------------
$(UOBJ)/%.o: %.c | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  UCC   $<")
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(UOBJ)/%.o: %.S | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  UAS   $<")
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(ULIB_A): $(filter-out $(ULIB_START),$(ULIB_OBJS))
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(UPROG)/%: $(UOBJ)/user/%.o $(ULIB_START) $(ULIB_A) user/user.ld
	@mkdir -p $(dir $@)
	$(Q)$(LD) -m elf_i386 --fatal-warnings -nostdlib -T user/user.ld -o $@ \
		$(ULIB_START) $< $(ULIB_A) $(LIBGCC)

# _binary_NAME_start / _end, read-only in the kernel: the program without
# its debugging sections (obj/shared/uprog/NAME keeps them, for GDB).
$(UPROG)/%.bin.o: $(UPROG)/%
	@mkdir -p $(UPROG)/strip
	$(Q)objcopy --strip-debug $< $(UPROG)/strip/$*
	$(Q)cd $(UPROG)/strip && $(LD) -m elf_i386 -r -z noexecstack -b binary \
		-o ../$*.bin.o $*
	$(Q)objcopy --rename-section .data=.rodata,alloc,load,readonly,data,contents $@

$(UPROG)/progs.c: Makefile
	@mkdir -p $(dir $@)
	$(Q){ echo '#include <userprog.h>'; \
	for p in $(USER_ALL); do \
		s=$$(echo $$p | tr - _); \
		echo "extern const unsigned char _binary_$${s}_start[], _binary_$${s}_end[];"; \
	done; \
	echo 'const struct user_prog user_progs[] = {'; \
	for p in $(USER_ALL); do \
		s=$$(echo $$p | tr - _); \
		echo "    {\"$$p\", _binary_$${s}_start, _binary_$${s}_end},"; \
	done; \
	echo '};'; \
	echo 'const size_t nr_user_progs = sizeof(user_progs) / sizeof(user_progs[0]);'; \
	echo 'const size_t nr_user_progs_all = $(words $(USER_PROGS));'; \
	} > $@

$(UPROG)/progs.o: $(UPROG)/progs.c
	$(Q)$(CC) $(KCFLAGS_SHARED) -c $< -o $@

# ---- the boot sector ------------------------------------------------------
$(SHARED)/boot/%.o: boot/%.c | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC    $<")
	$(Q)$(CC) $(BCFLAGS) -c $< -o $@

$(SHARED)/boot/%.o: boot/%.S | obj/.deps-build
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AS    $<")
	$(Q)$(CC) $(BCFLAGS) -c $< -o $@

obj/tools/sign: tools/sign.c | obj/.deps-build
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 $(WARN) $< -o $@

$(BINDIR)/bootblock: $(BOBJS) obj/tools/sign
	@mkdir -p $(dir $@) $(OBJDIR)
	$(Q)$(LD) -m elf_i386 --fatal-warnings --no-warn-rwx-segments -N -e start -Ttext 0x7C00 -o $(OBJDIR)/bootblock.o $(BOBJS)
	$(Q)objdump -S $(OBJDIR)/bootblock.o > $(OBJDIR)/bootblock.asm
	$(Q)objcopy -S -O binary -j .text -j .rodata $(OBJDIR)/bootblock.o \
		$(OBJDIR)/bootblock.out
	$(Q)obj/tools/sign $(OBJDIR)/bootblock.out $@

# ---- the disk image -------------------------------------------------------
$(IMG): $(BINDIR)/bootblock $(KERNEL)
	$(Q)dd if=/dev/zero of=$@ count=10000 status=none
	$(Q)dd if=$(BINDIR)/bootblock of=$@ conv=notrunc status=none
	$(Q)dd if=$(KERNEL) of=$@ seek=1 conv=notrunc status=none
	@echo "  IMG   $@ (kernel $$(stat -c %s $(KERNEL)) bytes)"

# The swap disk: sparse zeros, resized (not cleared) when SWAPSIZE changes.
$(SWAPIMG): FORCE
	@mkdir -p $(dir $@)
	$(Q)size=$$(numfmt --from=iec $(SWAPSIZE)) || exit 1; \
	if [ "$$(stat -c %s $@ 2>/dev/null)" != "$$size" ]; then \
		truncate -s $$size $@ && echo "  SWAP  $@ ($(SWAPSIZE))"; \
	fi

# ---- running --------------------------------------------------------------
comma := ,
QEMUOPTS = -m $(QEMUMEM) -no-reboot \
	-drive file=$(IMG),format=raw,index=0,media=disk \
	$(if $(SWAPDEP),-drive file=$(SWAPIMG)$(comma)format=raw$(comma)index=1$(comma)media=disk) \
	$(if $(PROG),-fw_cfg 'name=opt/ucore/prog$(comma)string=$(PROG)') \
	$(if $(PROCMEM),-fw_cfg 'name=opt/ucore/procmem$(comma)string=$(PROCMEM)')

# qemu: a window when a display is set and usable; otherwise (none set, or
# one QEMU cannot open, such as a stale DISPLAY over SSH) this terminal.
qemu: obj/.deps-run $(IMG) $(SWAPDEP)
	$(Q)if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "no display: running in this terminal (quit: Ctrl-a x)"; \
		$(QEMU) $(QEMUOPTS) -nographic; \
	elif ! $(QEMU) $(QEMUOPTS) -serial mon:stdio 2> $(OBJDIR)/qemu.err && \
		grep -qi "initiali[sz]ation failed\|cannot open display\|could not open" \
			$(OBJDIR)/qemu.err; then \
		echo "display '$$DISPLAY$$WAYLAND_DISPLAY' unusable ($$(head -1 $(OBJDIR)/qemu.err)):" \
			"running in this terminal (quit: Ctrl-a x)"; \
		$(QEMU) $(QEMUOPTS) -nographic; \
	else \
		cat $(OBJDIR)/qemu.err >&2; \
	fi

qemu-nox: obj/.deps-run $(IMG) $(SWAPDEP)
	@echo "quit: Ctrl-a x"
	$(Q)$(QEMU) $(QEMUOPTS) -nographic

# Rewritten every time: GDBPORT may differ from the last run.
$(OBJDIR)/gdbinit: tools/gdbinit FORCE
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@KERNEL@|$(KERNEL)|' -e 's|@GDBPORT@|$(GDBPORT)|' \
		-e 's|@TOOLS@|$(CURDIR)/tools|' $< > $@

# debug: QEMU in the background (its serial output in $(OBJDIR)/serial.log)
# and GDB in the foreground of this terminal; quitting GDB stops QEMU.
debug: obj/.deps-debug $(IMG) $(SWAPDEP) $(OBJDIR)/gdbinit
	@echo "kernel output: $(OBJDIR)/serial.log (tail -f it in another terminal)"
	$(Q)$(QEMU) $(QEMUOPTS) -S -gdb tcp::$(GDBPORT) -display none \
		-serial file:$(OBJDIR)/serial.log -monitor none & \
	qpid=$$!; sleep 0.5; $(GDB) -q -x $(OBJDIR)/gdbinit; \
	kill $$qpid 2>/dev/null; true

qemu-gdb: obj/.deps-debug $(IMG) $(SWAPDEP)
	@echo "QEMU waits for GDB on port $(GDBPORT): run 'make gdb' in another terminal"
	$(Q)$(QEMU) $(QEMUOPTS) -S -gdb tcp::$(GDBPORT) -nographic

gdb: $(OBJDIR)/gdbinit $(KERNEL)
	$(Q)$(GDB) -q -x $(OBJDIR)/gdbinit

# ---- grading and tests ----------------------------------------------------
# grade.sh boots a private copy of each disk.
grade: obj/.deps-run $(IMG) $(SWAPDEP)
	$(Q)PROG='$(PROG)' PROCMEM='$(PROCMEM)' SWAP_DISK=$(SWAP_DISK) SWAPIMG=$(SWAPIMG) \
		VAPA='$(VAPA)' tools/grade.sh $(IMG) $(QEMUMEM)

test:
	$(Q)tools/deps.sh test
	$(Q)tools/runtests.sh

# Mutation testing (tools/mutate.sh): each mutant's catchers run in a
# scratch copy of this tree, never in it.
MUTANTS ?=
mutate:
	$(Q)tools/deps.sh test
	$(Q)tools/mutate.sh $(MUTANTS)

-include tests/host.mk
-include tests/vma/vma.mk
-include tests/e820/e820.mk
-include tests/replace/replace.mk

FORCE:

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf obj bin build

# Only this configuration's dependency files: every configuration's would
# cost a third of a second of parsing on each make.
-include $(shell find $(OBJDIR) $(SHARED) obj/tools -name '*.d' 2>/dev/null)
