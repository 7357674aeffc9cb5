/* proc_struct.h -- the process descriptor (ucore's struct proc_struct)
 * and what goes with it, alone in a header so that the scheduler, which
 * lies under kern/process, can use it: proc.h includes it. */
#ifndef KERN_PROCESS_PROC_STRUCT_H
#define KERN_PROCESS_PROC_STRUCT_H

#include <defs.h>
#include <list.h>

struct trapframe;
struct mm_struct;

/* The life of a process. */
enum proc_state {
    PROC_UNINIT = 0, /* being created */
    PROC_SLEEPING,   /* waiting (wait_state says for what) */
    PROC_RUNNABLE,   /* running, or on the run queue */
    PROC_ZOMBIE,     /* exited; its parent has not reaped it yet */
};

/* struct context - the registers switch_to saves and restores: the
 * callee-saved ones, the stack and the place to resume.  The offsets are
 * switch.S's. */
struct context {
    uint32_t eip;
    uint32_t esp;
    uint32_t ebx;
    uint32_t ecx;
    uint32_t edx;
    uint32_t esi;
    uint32_t edi;
    uint32_t ebp;
};

#define PROC_NAME_LEN 15
#define MAX_PROCESS   4096
#define MAX_PID       (MAX_PROCESS * 2)

#define PF_EXITING 0x00000001 /* killed: exits on its way to user mode */

#define WT_INTERRUPTED 0x80000000                    /* a kill ends the wait */
#define WT_CHILD       (0x00000001 | WT_INTERRUPTED) /* in do_wait */
#define WT_TIMER       (0x00000002 | WT_INTERRUPTED) /* in do_sleep */

/*
 * struct proc_struct - one process (or kernel thread: mm == NULL).
 * @kstack:      its KSTACKPAGE-page kernel stack (kernel pool)
 * @need_resched: give up the CPU at the next return to user mode
 * @mm:          its address space (NULL for kernel threads)
 * @active_mm:   the address space loaded while it runs: @mm, or for a
 *               kernel thread whatever it loaded itself (the monitor's
 *               vmdemo); proc_run saves and restores it
 * @tf:          the trap frame at the top of @kstack (user state)
 * @list_link:   on proc_list;  @hash_link: on its pid's hash chain
 * @run_link:    on the run queue, or on the sleepers' list (sched.c)
 * @cptr, @yptr, @optr: youngest child, younger and older sibling
 * @time_slice:  ticks left before preemption;  @wake_tick: do_sleep's end
 */
struct proc_struct {
    enum proc_state state;
    int pid;
    int runs;
    uintptr_t kstack;
    volatile bool need_resched;
    struct proc_struct *parent;
    struct mm_struct *mm;
    struct mm_struct *active_mm;
    struct context context;
    struct trapframe *tf;
    uint32_t flags;
    char name[PROC_NAME_LEN + 1];
    list_entry_t list_link;
    list_entry_t hash_link;
    list_entry_t run_link;
    int exit_code;
    uint32_t wait_state;
    struct proc_struct *cptr, *yptr, *optr;
    int time_slice;
    size_t wake_tick;
};

#define le2proc(le, member) to_struct((le), struct proc_struct, member)

/* switch_to - save the running context in @from and resume @to (switch.S). */
void switch_to(struct context *from, struct context *to);

#endif /* !KERN_PROCESS_PROC_STRUCT_H */
