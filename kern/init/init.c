/* init.c -- kern_init, the first C code: bring the machine up in order and
 * hand it to the monitor.  Read top to bottom, it is the boot path: each
 * subsystem's init, then the boot self-checks of what it built. */
#include <defs.h>
#include <stdio.h>
#include <string.h>
#include <console.h>
#include <kdebug.h>
#include <picirq.h>
#include <gdt.h>
#include <trap.h>
#include <clock.h>
#include <intr.h>
#include <pmm.h>
#include <kmalloc.h>
#include <pmm_check.h>
#include <vmm.h>
#include <vmm_check.h>
#include <swap.h>
#include <swap_check.h>
#include <kmonitor.h>
#include <poweroff.h>
#include <fw_cfg.h>
#include <ide.h>
#include <proc.h>
#include <run.h>
#include <syscall.h>
#ifdef PMM_BENCH
#include <pmm_bench.h>
#endif

int kern_init(void) __noreturn;

/* pmm_boot - physical memory in ucore's order, each step checked. */
static void pmm_boot(void)
{
    pmm_init();         /* Page array, frame pools, boot_pgdir loaded */
    check_alloc_page(); /* the manager's self-check, free counts kept */
    check_pgdir();      /* get_pte, page_insert, page_remove at low VAs */
    check_boot_pgdir(); /* the direct map, VPT, aliasing */
    print_pgdir();
    kmalloc_init();
    check_slab();
}

#define PROG_LEN 128

/* The smallest PROCMEM cap: a process needs a few page tables and the
 * pages one instruction touches (text, stack, two operands) at once. */
#define PROCMEM_MIN_FRAMES 16

/* parse_size - "N", "NK" or "NM" in bytes; 0 when malformed. */
static size_t parse_size(const char *s)
{
    size_t n = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (*s - '0');
    }
    size_t unit = (*s == 'K' || *s == 'k')   ? 1024
                  : (*s == 'M' || *s == 'm') ? 1 << 20
                                             : 1;
    return (s[unit > 1] == '\0') ? n * unit : 0;
}

/* cap_proc_pool - make PROCMEM=SIZE (fw_cfg opt/ucore/procmem): leave
 * only SIZE of the process pool free for the programs, so they swap. */
static void cap_proc_pool(void)
{
    char arg[32];
    if (fw_cfg_read_file("opt/ucore/procmem", arg, sizeof(arg)) < 0) {
        return;
    }
    size_t frames = parse_size(arg) / PGSIZE;
    if (frames < PROCMEM_MIN_FRAMES) {
        cprintf("PROCMEM=%s ignored: not a size of at least %d KiB\n", arg,
                PROCMEM_MIN_FRAMES * PGSIZE / 1024);
        return;
    }
    pool_limit(&proc_pool, frames);
    cprintf("process pool capped at %s: %lu frames free\n", arg,
            (unsigned long)pool_nr_free(&proc_pool));
}

/* boot_options - the fw_cfg options read once the kernel is up: the
 * PROCMEM cap, and the fault trace of tools/record-trace.sh
 * (opt/ucore/swaptrace). */
static void boot_options(void)
{
    char trace[4];
    vmm_fault_trace(
        fw_cfg_read_file("opt/ucore/swaptrace", trace, sizeof(trace)) > 0);
    cap_proc_pool();
}

/* init_main - initproc: the programs QEMU's command line asked for (make
 * PROG=..., an fw_cfg file), then the monitor. */
static int init_main(void *arg)
{
    const char *prog = arg;
    if (prog[0] != '\0') {
        run_programs(prog);
    }
    kmonitor(NULL);
    panic("kmonitor returned");
}

/* kern_init - called by entry.S on the boot stack with paging on. */
int kern_init(void)
{
    extern char edata[], end[];
    memset(edata, 0, end - edata); /* .bss (the loader zeroes it too) */

    cons_init();
    kmonitor_init(); /* from here on a panic ends in the monitor */
    cprintf("ucore-mm kernel is loading ...\n\n");
    print_kerninfo();
    print_e820();

    gdt_init();
    pmm_boot();
#ifdef PMM_BENCH
    pmm_bench_run();
    poweroff();
#endif

    pic_init();
    idt_init();
    vmm_init(); /* the kmap window */
#ifdef VAPA
    /* make VAPA=1 (memlayout.h): Lab 2 only, then the monitor. */
    cprintf("VAPA: virtual = physical; user space and VMPools need addresses "
            "below KERNBASE, so vmm checks, swap and processes are off\n");
    clock_init();
    intr_enable();
    kmonitor(NULL);
    panic("kmonitor returned");
#endif
    vmm_check_all(); /* after idt_init: the checks take page faults */
    ide_init();      /* the boot disk and the swap disk */
    if (!check_ide()) {
        panic("check_ide failed");
    }
    swap_init(); /* the swap disk, the frame table, the policy */
    check_swap();
    boot_options();

    static char prog[PROG_LEN];
    if (fw_cfg_read_file("opt/ucore/prog", prog, sizeof(prog)) < 0) {
        prog[0] = '\0';
    }
    proc_init(init_main, prog); /* this code becomes idleproc */
    syscall_init();
    clock_init();
    intr_enable();
    cpu_idle();
}
