/* run.h -- running user programs from the kernel (initproc and the
 * monitor's `run`) with ucore's memory check after them. */
#ifndef KERN_PROCESS_RUN_H
#define KERN_PROCESS_RUN_H

/**
 * run_program - run the built-in program @argv[0] with its @argc
 * arguments as a child of the current kernel thread, wait until every
 * process but the kernel's own has quit, print "all user-mode processes
 * have quit.", check that the free frames of both pools, kmalloc's usage
 * and the process count are back to what they were, and print "init
 * check memory pass." (or panic naming what leaked).  The timer's and the
 * page faults' log lines are off meanwhile.  Returns 0, -E_INVAL for
 * an unknown program, or -E_BAD_PROC before proc_init (then nothing ran).
 */
int run_program(int argc, char **argv);

/* run_programs - run_program for each ';'-separated command of the
 * string @progs, one after the other: a program's name and its
 * space-separated arguments, or "all" (every built-in program, in the
 * order of the table); prints the names when one is unknown. */
void run_programs(const char *progs);

#endif /* !KERN_PROCESS_RUN_H */
