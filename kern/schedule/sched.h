/* sched.h -- the scheduler: a round-robin run queue, the timer's time
 * slices and sleepers, and the switch from one process to another.  It
 * knows the process descriptor (proc_struct.h) but never calls into
 * kern/process. */
#ifndef KERN_SCHEDULE_SCHED_H
#define KERN_SCHEDULE_SCHED_H

#include <defs.h>
#include <proc_struct.h>

#define MAX_TIME_SLICE 5 /* ticks a process runs before it is preempted */

extern struct proc_struct *current; /* the process running now */

/* sched_init - make @idle the running process and the one to run when no
 * other is runnable; registers sched_tick as the timer's hook and a yield
 * to the next runnable process as the disk driver's wait hook. */
void sched_init(struct proc_struct *idle);

/* schedule - give the CPU to the next runnable process in round-robin
 * order (the current one goes to the tail when still runnable), or to the
 * idle process.  Only process context calls it: the kernel itself is never
 * preempted, a process is switched on its way back to user mode. */
void schedule(void);

/* wakeup_proc - make @proc runnable (from sleeping or new) and queue it;
 * safe in an interrupt handler. */
void wakeup_proc(struct proc_struct *proc);

/* sched_tick - the timer hook: wakes the sleepers whose time came, and
 * marks the current process for rescheduling when its slice is used up
 * (or the idle process when there is work). */
void sched_tick(void);

/* sched_sleep - put the current process to sleep for @n ticks (it must
 * then call schedule); wakeup_proc ends the sleep early. */
void sched_sleep(size_t n);

/* proc_run - switch to @proc: its kernel stack for traps from user mode,
 * its address space, its registers. */
void proc_run(struct proc_struct *proc);

#endif /* !KERN_SCHEDULE_SCHED_H */
