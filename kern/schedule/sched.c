/*
 * sched.c -- round-robin scheduling.  The run queue holds the runnable
 * processes other than the current one, oldest first; the sleepers' list
 * those in do_sleep.  Both are touched by the timer interrupt (wakeups),
 * so every change is made with interrupts off.  Preemption only sets
 * need_resched: the switch itself happens in process context, when the
 * process returns to user mode or blocks (waits for a child, sleeps, or
 * waits for the disk: sched_io_wait), so the kernel's own structures
 * (kmalloc, the frame pools, page tables, regions) are never entered by
 * two processes at once.
 */
#include <defs.h>
#include <list.h>
#include <sync.h>
#include <clock.h>
#include <stdio.h>
#include <assert.h>
#include <memlayout.h>
#include <trap.h>
#include <gdt.h>
#include <vmm.h>
#include <ide.h>
#include <swap.h>
#include <sched.h>

struct proc_struct *current;
static struct proc_struct *idle;
static list_entry_t run_queue, sleepers;

/* sched_io_wait - the disk driver's and the swap layer's wait hook: while
 * a command of the current process is in flight, or it waits for a page
 * another process is moving, the next runnable process gets the CPU.
 * Nothing to do before sched_init, in the idle process, or when no other
 * process is runnable. */
static void sched_io_wait(void)
{
    if (current == NULL || current == idle || list_empty(&run_queue)) {
        return;
    }
    current->need_resched = true;
    schedule();
}

void sched_init(struct proc_struct *idleproc)
{
    list_init(&run_queue);
    list_init(&sleepers);
    idle = current = idleproc;
    trap_hook_tick(sched_tick);
    ide_set_wait_hook(sched_io_wait);
    swap_set_wait_hook(sched_io_wait);
}

/* unqueue - take @proc off whichever list it is on (none is fine). */
static void unqueue(struct proc_struct *proc)
{
    list_del(&proc->run_link);
    list_init(&proc->run_link);
}

void wakeup_proc(struct proc_struct *proc)
{
    bool intr_flag;
    local_intr_save(intr_flag);
    if (proc->state == PROC_ZOMBIE) {
        panic("wakeup_proc: pid %d is a zombie", proc->pid);
    }
    proc->state = PROC_RUNNABLE;
    proc->wait_state = 0;
    unqueue(proc);
    if (proc != current && proc != idle) {
        list_add_before(&run_queue, &proc->run_link);
    }
    if (current == idle) {
        idle->need_resched = true;
    }
    local_intr_restore(intr_flag);
}

void sched_sleep(size_t n)
{
    bool intr_flag;
    local_intr_save(intr_flag);
    current->state = PROC_SLEEPING;
    current->wait_state = WT_TIMER;
    current->wake_tick = ticks + n;
    unqueue(current);
    list_add_before(&sleepers, &current->run_link);
    local_intr_restore(intr_flag);
}

void sched_tick(void)
{
    list_entry_t *le = list_next(&sleepers);
    while (le != &sleepers) {
        struct proc_struct *p = le2proc(le, run_link);
        le = list_next(le);
        if ((long)(ticks - p->wake_tick) >= 0) {
            wakeup_proc(p);
        }
    }
    if (current == NULL) {
        return;
    }
    if (current == idle) {
        current->need_resched = !list_empty(&run_queue);
    } else if (--current->time_slice <= 0) {
        current->need_resched = true;
    }
}

void proc_run(struct proc_struct *proc)
{
    struct proc_struct *prev = current;
    prev->active_mm = current_mm;
    current = proc;
    load_esp0(proc->kstack + KSTACKSIZE);
    mm_switch(proc->active_mm);
    switch_to(&prev->context, &proc->context);
}

void schedule(void)
{
    swap_tick_event(current_mm); /* process context: the policy may scan */
    bool intr_flag;
    local_intr_save(intr_flag);
    current->need_resched = false;
    if (current->state == PROC_RUNNABLE && current != idle) {
        unqueue(current);
        list_add_before(&run_queue, &current->run_link);
    }
    struct proc_struct *next = idle;
    if (!list_empty(&run_queue)) {
        next = le2proc(list_next(&run_queue), run_link);
        unqueue(next);
    }
    if (next->state != PROC_RUNNABLE) {
        panic("schedule: pid %d on the run queue is not runnable", next->pid);
    }
    next->runs++;
    next->time_slice = MAX_TIME_SLICE;
    if (next != current) {
        proc_run(next);
    }
    local_intr_restore(intr_flag);
}
