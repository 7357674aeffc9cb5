/* proc.h -- processes, ucore's Lab4/Lab5 interface: creation (do_fork,
 * kernel_thread), exit and reaping (do_exit, do_wait), do_kill, do_yield,
 * do_sleep, and program loading (do_execve, kernel_execve: exec.c).  The
 * descriptor is in proc_struct.h, the scheduler in kern/schedule. */
#ifndef KERN_PROCESS_PROC_H
#define KERN_PROCESS_PROC_H

#include <defs.h>
#include <proc_struct.h>

struct trapframe;

extern struct proc_struct *idleproc, *initproc;

/* proc_init - the process table; idleproc (pid 0) becomes the boot code
 * running on the boot stack, initproc (pid 1) a kernel thread that will
 * run @init_main(@arg).  Registers the trap path's user hooks. */
void proc_init(int (*init_main)(void *), void *arg);

/* cpu_idle - idleproc's loop: schedule when there is work, else halt. */
void cpu_idle(void) __noreturn;

/* kernel_thread - a new kernel thread running @fn(@arg), which exits with
 * fn's result; returns its pid, or -E_NO_FREE_PROC / -E_NO_MEM. */
int kernel_thread(int (*fn)(void *), void *arg, uint32_t clone_flags);

/**
 * do_fork - a child of the current process: a copy of its address space
 * (dup_mmap), a new kernel stack holding a copy of @tf with eax = 0 (and
 * the user stack pointer @stack when non-zero), runnable.  Returns the
 * child's pid, or -E_NO_FREE_PROC / -E_NO_MEM with nothing left behind.
 */
int do_fork(uint32_t clone_flags, uintptr_t stack, struct trapframe *tf);

/* do_exit - end the current process with @error_code: free its address
 * space, print "NAME: exit(N)", hand its children to initproc, wake its
 * parent; it stays a zombie until reaped by do_wait.  Does not return. */
void do_exit(int error_code) __noreturn;

/**
 * do_wait - wait for the child @pid (0: any child) to exit, reap it and
 * store its exit code at the user address @code_store (0: none).  Returns
 * 0, -E_BAD_PROC (no such child), -E_INVAL (a bad @code_store).  A kill
 * ends the wait with do_exit.
 */
int do_wait(int pid, uintptr_t code_store);

/* do_kill - mark @pid to exit with -E_KILLED on its next return to user
 * mode (waking it from an interruptible wait).  Returns 0, -E_INVAL (no
 * such process, or idleproc/initproc) or -E_KILLED (already killed). */
int do_kill(int pid);

/* do_yield - give up the CPU at the next return to user mode; 0. */
int do_yield(void);

/* do_sleep - sleep for @n timer ticks; 0, or -E_KILLED when killed. */
int do_sleep(size_t n);

/* find_proc - the process with @pid, or NULL. */
struct proc_struct *find_proc(int pid);

/* set_proc_name - copy @name (truncated to PROC_NAME_LEN) into @proc. */
void set_proc_name(struct proc_struct *proc, const char *name);

/* nr_process_alive - processes in the table, zombies included. */
int nr_process_alive(void);

/* print_procs - one line per process (the monitor's `ps`); says so when
 * there are none yet (before proc_init). */
void print_procs(void);

/**
 * do_execve - replace the current process's program by the built-in
 * program @argv[0] with its @argc arguments (kernel strings), its
 * user state in @tf.  Returns 0, or -E_INVAL (no such program, bad
 * arguments), -E_INVAL_ELF, -E_NO_MEM with the process unchanged.
 */
int do_execve(int argc, char **argv, struct trapframe *tf);

/* kernel_execve - from a kernel thread: print ucore's "kernel_execve: pid
 * = N, name = "NAME"." and become the user program @argv[0] (does not
 * return then); returns the error when the program cannot start. */
int kernel_execve(int argc, char **argv);

#endif /* !KERN_PROCESS_PROC_H */
