/* gdt.c -- the segments: a flat GDT (kernel and user code and data) and
 * the TSS that gives a trap from user mode its kernel stack. */
#include <defs.h>
#include <x86.h>
#include <mmu.h>
#include <memlayout.h>
#include <gdt.h>

static struct taskstate ts;

/* The GDT: flat kernel and user segments, and the TSS (filled in later). */
static struct segdesc gdt[] = {
    SEG_NULL,
    [GD_KTEXT >> 3] = SEG(STA_X | STA_R, 0x0, 0xFFFFFFFF, DPL_KERNEL),
    [GD_KDATA >> 3] = SEG(STA_W, 0x0, 0xFFFFFFFF, DPL_KERNEL),
    [GD_UTEXT >> 3] = SEG(STA_X | STA_R, 0x0, 0xFFFFFFFF, DPL_USER),
    [GD_UDATA >> 3] = SEG(STA_W, 0x0, 0xFFFFFFFF, DPL_USER),
    [GD_TSS >> 3] = SEG_NULL,
};

static struct pseudodesc gdt_pd = {sizeof(gdt) - 1, (uintptr_t)gdt};

/* lgdt_reload - load @pd and reload every segment register from it. */
static void lgdt_reload(struct pseudodesc *pd)
{
    lgdt(pd);
    asm volatile("movw %%ax, %%gs; movw %%ax, %%fs" ::"a"(USER_DS));
    asm volatile(
        "movw %%ax, %%es; movw %%ax, %%ds; movw %%ax, %%ss" ::"a"(KERNEL_DS));
    asm volatile("ljmp %0, $1f\n 1:\n" ::"i"(KERNEL_CS));
}

/* gdt_init - install the kernel's GDT and a TSS whose ring-0 stack is the
 * boot stack (the stack a trap from user mode will switch to). */
void gdt_init(void)
{
    ts.ts_esp0 = (uintptr_t)bootstacktop;
    ts.ts_ss0 = KERNEL_DS;
    gdt[GD_TSS >> 3] = SEGTSS(STS_T32A, (uintptr_t)&ts, sizeof(ts), DPL_KERNEL);
    lgdt_reload(&gdt_pd);
    ltr(GD_TSS);
}

void load_esp0(uintptr_t esp0) { ts.ts_esp0 = esp0; }

uintptr_t get_esp0(void) { return ts.ts_esp0; }
