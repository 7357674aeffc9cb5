/* init.c -- kern_init, the first C code: bring the machine up in order and
 * hand it to the monitor. */
#include <defs.h>
#include <stdio.h>
#include <string.h>
#include <console.h>
#include <kdebug.h>
#include <picirq.h>
#include <trap.h>
#include <clock.h>
#include <intr.h>
#include <pmm.h>
#include <vmm.h>
#include <vmm_check.h>
#include <kmonitor.h>
#include <poweroff.h>
#ifdef PMM_BENCH
#include <pmm_bench.h>
#endif

int kern_init(void) __noreturn;

/* kern_init - called by entry.S on the boot stack with paging on. */
int kern_init(void)
{
    extern char edata[], end[];
    memset(edata, 0, end - edata); /* .bss (the loader zeroes it too) */

    cons_init();
    cprintf("ucore-mm kernel is loading ...\n\n");
    print_kerninfo();
    print_e820();

    pmm_init();
#ifdef PMM_BENCH
    pmm_bench_run();
    poweroff();
#endif

    pic_init();
    idt_init();
    vmm_init();
    vmm_check_all();
    clock_init();
    intr_enable();

    kmonitor(NULL);
    panic("kmonitor returned");
}
