/* trap.c -- the interrupt descriptor table and the dispatcher every
 * interrupt and exception goes through. */
#include <defs.h>
#include <mmu.h>
#include <memlayout.h>
#include <x86.h>
#include <stdio.h>
#include <assert.h>
#include <clock.h>
#include <console.h>
#include <trap.h>
#include <gdt.h>
#include <kdebug.h>
#include <vmm.h>
#include <vm_probe.h>

#define TICK_NUM 100
/* "100 ticks" lines printed before the line falls silent (ucore's Lab 1
 * prints one a second for ever, into whatever the user is typing at the
 * monitor; the grade needs one).  The monitor's `ticks on` prints them
 * for ever again, `ticks off` stops them. */
#define TICK_LINES 5

static struct gatedesc idt[256];
static struct trap_hooks hooks;
static bool tick_log = true;
static int tick_lines = TICK_LINES; /* left to print; < 0: no limit */
static struct pseudodesc idt_pd = {sizeof(idt) - 1, (uintptr_t)idt};

/* idt_init - point every vector at its stub in kern/trap/vectors.S; the
 * system call vector is a trap gate that user mode may invoke. */
void idt_init(void)
{
    extern uintptr_t __vectors[];
    for (size_t i = 0; i < ARRAY_SIZE(idt); i++) {
        SETGATE(idt[i], 0, GD_KTEXT, __vectors[i], DPL_KERNEL);
    }
    SETGATE(idt[T_SYSCALL], 1, GD_KTEXT, __vectors[T_SYSCALL], DPL_USER);
    lidt(&idt_pd);
}

static const char *trapname(int trapno)
{
    // clang-format off
    static const char *const excnames[] = {
        "Divide error", "Debug", "Non-Maskable Interrupt", "Breakpoint",
        "Overflow", "BOUND Range Exceeded", "Invalid Opcode",
        "Device Not Available", "Double Fault", "Coprocessor Segment Overrun",
        "Invalid TSS", "Segment Not Present", "Stack Fault",
        "General Protection", "Page Fault", "(unknown trap)",
        "x87 FPU Floating-Point Error", "Alignment Check", "Machine-Check",
        "SIMD Floating-Point Exception"};
    // clang-format on
    if (trapno >= 0 && (size_t)trapno < ARRAY_SIZE(excnames)) {
        return excnames[trapno];
    }
    if (trapno >= IRQ_OFFSET && trapno < IRQ_OFFSET + 16) {
        return "Hardware Interrupt";
    }
    return "(unknown trap)";
}

/* trap_in_kernel - whether the trap interrupted kernel code. */
bool trap_in_kernel(struct trapframe *tf)
{
    return (tf->tf_cs & 3) == DPL_KERNEL;
}

void print_regs(struct pushregs *regs)
{
    cprintf("  edi  0x%08x\n  esi  0x%08x\n  ebp  0x%08x\n  oesp 0x%08x\n",
            regs->reg_edi, regs->reg_esi, regs->reg_ebp, regs->reg_oesp);
    cprintf("  ebx  0x%08x\n  edx  0x%08x\n  ecx  0x%08x\n  eax  0x%08x\n",
            regs->reg_ebx, regs->reg_edx, regs->reg_ecx, regs->reg_eax);
}

void print_trapframe(struct trapframe *tf)
{
    cprintf("trapframe at %p\n", tf);
    print_regs(&tf->tf_regs);
    cprintf("  ds   0x----%04x\n  es   0x----%04x\n", tf->tf_ds, tf->tf_es);
    cprintf("  trap 0x%08x %s\n", tf->tf_trapno, trapname(tf->tf_trapno));
    cprintf("  err  0x%08x\n  eip  0x%08x\n", tf->tf_err, tf->tf_eip);
    cprintf("  cs   0x----%04x\n  flag 0x%08x\n", tf->tf_cs, tf->tf_eflags);
    if (!trap_in_kernel(tf)) {
        cprintf("  esp  0x%08x\n  ss   0x----%04x\n", tf->tf_esp, tf->tf_ss);
    }
}

void trap_hook_syscall(void (*fn)(struct trapframe *tf)) { hooks.syscall = fn; }

void trap_hook_tick(void (*fn)(void)) { hooks.tick = fn; }

void trap_hook_user(void (*fault)(struct trapframe *tf),
                    void (*ret)(struct trapframe *tf))
{
    hooks.user_fault = fault;
    hooks.user_return = ret;
}

bool trap_tick_log(bool on)
{
    bool was = tick_log;
    tick_log = on;
    return was;
}

void trap_tick_lines(int n) { tick_lines = n; }

/* tick_line - called at every tick, @due at every TICK_NUMth: the
 * timer's "100 ticks" line, while it is on and lines are left.  A due
 * line waits while another line is being printed (a process or the
 * kernel interrupted halfway through one), so it never splits a line; it
 * goes out at the first tick at a line's start, or after a whole tick in
 * which nothing was printed (a prompt waiting for input). */
static void tick_line(bool due)
{
    static bool waiting;
    static unsigned int written_then;
    unsigned int written = cons_written();

    waiting |= due;
    if (waiting && (!cons_mid_line() || written == written_then)) {
        waiting = false;
        if (tick_log && tick_lines != 0) {
            cprintf("%d ticks\n", TICK_NUM);
            tick_lines -= tick_lines > 0;
        }
    }
    written_then = cons_written();
}

/* user_esp - the user stack pointer behind the trap @tf: its own esp
 * when it came from user mode; for a fault in the kernel (a system call
 * copying user memory), the esp saved in the frame at the top of the
 * kernel stack (TSS esp0) when that frame came from user mode; else 0. */
static uintptr_t user_esp(struct trapframe *tf)
{
    if (!trap_in_kernel(tf)) {
        return tf->tf_esp;
    }
    struct trapframe *entry = (struct trapframe *)get_esp0() - 1;
    return trap_in_kernel(entry) ? 0 : entry->tf_esp;
}

/* pgfault_handler - let the VMM handle the fault in the loaded address
 * space, with the user esp for stack growth.  A segmentation fault in a probe
 * (vm_probe.h) resumes at the probe's fixup, which returns -E_FAULT; in user
 * mode it ends the process (the user_fault hook); anywhere else in the kernel
 * it is a kernel bug and panics. */
static void pgfault_handler(struct trapframe *tf)
{
    uintptr_t addr = rcr2();
    if (do_pgfault(current_mm, tf->tf_err, addr, user_esp(tf)) == 0) {
        return;
    }
    uintptr_t fixup = vm_probe_fixup(tf->tf_eip);
    if (trap_in_kernel(tf) && fixup != 0) {
        tf->tf_eip = fixup;
        return;
    }
    if (!trap_in_kernel(tf) && hooks.user_fault != NULL) {
        hooks.user_fault(tf);
    }
    print_trapframe(tf);
    panic("%s-mode segmentation fault at 0x%08x (eip 0x%08x)",
          trap_in_kernel(tf) ? "kernel" : "user", addr, tf->tf_eip);
}

/* unexpected_trap - an exception or interrupt nobody handles: from user
 * mode it ends the process (the user_fault hook) after naming the trap,
 * in the kernel it panics. */
static void unexpected_trap(struct trapframe *tf)
{
    if (!trap_in_kernel(tf) && hooks.user_fault != NULL) {
        cprintf("%s (trap %u) in user mode at eip 0x%08x\n",
                trapname(tf->tf_trapno), tf->tf_trapno, tf->tf_eip);
        hooks.user_fault(tf);
    }
    print_trapframe(tf);
    panic("unexpected trap %u (%s) in %s mode", tf->tf_trapno,
          trapname(tf->tf_trapno), trap_in_kernel(tf) ? "kernel" : "user");
}

static void trap_dispatch(struct trapframe *tf)
{
    switch (tf->tf_trapno) {
    case T_PGFLT:
        pgfault_handler(tf);
        break;
    case IRQ_OFFSET + IRQ_TIMER:
        tick_line(++ticks % TICK_NUM == 0);
        cons_tick();
        if (hooks.tick != NULL) {
            hooks.tick();
        }
        break;
    case T_SYSCALL:
        if (hooks.syscall == NULL) {
            unexpected_trap(tf);
        }
        hooks.syscall(tf);
        break;
    case IRQ_OFFSET + IRQ_KBD:
        kbd_intr();
        break;
    case IRQ_OFFSET + IRQ_COM1:
        serial_intr();
        break;
    case IRQ_OFFSET + 7:
    case IRQ_OFFSET + 15:
        break; /* spurious interrupts of the two PICs */
    default:
        unexpected_trap(tf);
    }
}

/* trap - called from __alltraps with the frame of the interrupted code;
 * the user_return hook runs last on the way back to user mode. */
void trap(struct trapframe *tf);
void trap(struct trapframe *tf)
{
    trap_dispatch(tf);
    if (!trap_in_kernel(tf) && hooks.user_return != NULL) {
        hooks.user_return(tf);
    }
}
