/* trap.h -- trap numbers and the frame the entry code builds. */
#ifndef KERN_TRAP_TRAP_H
#define KERN_TRAP_TRAP_H

#include <defs.h>
#include <picirq.h> /* IRQ_OFFSET and the IRQ numbers */

/* Processor-defined exceptions. */
#define T_DIVIDE  0
#define T_DEBUG   1
#define T_NMI     2
#define T_BRKPT   3
#define T_OFLOW   4
#define T_BOUND   5
#define T_ILLOP   6
#define T_DEVICE  7
#define T_DBLFLT  8
#define T_TSS     10
#define T_SEGNP   11
#define T_STACK   12
#define T_GPFLT   13
#define T_PGFLT   14
#define T_FPERR   16
#define T_ALIGN   17
#define T_MCHK    18
#define T_SIMDERR 19

#include <unistd.h> /* T_SYSCALL */

/* Registers as pushed by pushal. */
struct pushregs {
    uint32_t reg_edi;
    uint32_t reg_esi;
    uint32_t reg_ebp;
    uint32_t reg_oesp; /* useless */
    uint32_t reg_ebx;
    uint32_t reg_edx;
    uint32_t reg_ecx;
    uint32_t reg_eax;
};

/* struct trapframe - the saved state of the interrupted code: what the
 * vector stubs and __alltraps push, then what the CPU pushed. */
struct trapframe {
    struct pushregs tf_regs;
    uint16_t tf_gs, tf_padding0;
    uint16_t tf_fs, tf_padding1;
    uint16_t tf_es, tf_padding2;
    uint16_t tf_ds, tf_padding3;
    uint32_t tf_trapno;
    /* below here defined by x86 hardware */
    uint32_t tf_err;
    uintptr_t tf_eip;
    uint16_t tf_cs, tf_padding4;
    uint32_t tf_eflags;
    /* below here only when crossing rings */
    uintptr_t tf_esp;
    uint16_t tf_ss, tf_padding5;
};

/* idt_init - load an IDT whose 256 gates lead to kern/trap/vectors.S; the
 * system-call gate alone may be used from user mode. */
void idt_init(void);
/* print_trapframe - dump @tf (registers, trap number and name, error code,
 * and the user stack when the trap came from user mode). */
void print_trapframe(struct trapframe *tf);
/* print_regs - dump the general registers saved by pushal. */
void print_regs(struct pushregs *regs);
/* trap_in_kernel - whether @tf interrupted ring-0 code. */
bool trap_in_kernel(struct trapframe *tf);

/*
 * The layers above (processes, scheduler, system calls) reach the trap
 * path only through these hooks, registered at their init; NULL (the
 * default) leaves the trap as it was before processes existed.
 * @syscall:     handles int T_SYSCALL (result in tf_regs.reg_eax)
 * @tick:        runs on every timer tick, in the interrupt handler
 * @user_fault:  an exception from user mode the kernel cannot handle
 *               (already reported); ends the process, does not return
 * @user_return: runs last before any return to user mode (reschedule,
 *               exit a killed process)
 */
struct trap_hooks {
    void (*syscall)(struct trapframe *tf);
    void (*tick)(void);
    void (*user_fault)(struct trapframe *tf);
    void (*user_return)(struct trapframe *tf);
};

/* trap_hook_syscall / trap_hook_tick / trap_hook_user - register one hook
 * of struct trap_hooks (replacing the previous one). */
void trap_hook_syscall(void (*fn)(struct trapframe *tf));
void trap_hook_tick(void (*fn)(void));
void trap_hook_user(void (*fault)(struct trapframe *tf),
                    void (*ret)(struct trapframe *tf));

/* trap_tick_log - turn the "100 ticks" line of the timer on or off (it
 * would cut user output lines in two); returns the previous setting. */
bool trap_tick_log(bool on);

/* trap_tick_lines - print @n more "100 ticks" lines (while the line is on,
 * trap_tick_log), or with @n < 0 one every TICK_NUM ticks for ever; the
 * boot allows the first 5. */
void trap_tick_lines(int n);

#endif /* !KERN_TRAP_TRAP_H */
