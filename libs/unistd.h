/* unistd.h -- the system-call interface shared by the kernel and user/:
 * the trap vector and ucore's call numbers.  The number goes in eax, the
 * arguments in edx, ecx, ebx, edi, esi; the result comes back in eax. */
#ifndef LIBS_UNISTD_H
#define LIBS_UNISTD_H

#define T_SYSCALL 0x80

#define SYS_exit    1
#define SYS_fork    2
#define SYS_wait    3
#define SYS_exec    4
#define SYS_yield   10
#define SYS_sleep   11
#define SYS_kill    12
#define SYS_gettime 17
#define SYS_getpid  18
/* Not in ucore: vmstat(struct vmstat *, size) -- the page-fault counters,
 * the caller's pages and the process pool (libs/vmstat.h); fills at most
 * size bytes and returns how many it filled, or -E_INVAL. */
#define SYS_vmstat 22
#define SYS_putc   30
#define SYS_pgdir  31
/* Not in ucore Lab5 (ucore Lab8's number): write(fd 1, buf, len), so that
 * a line of cprintf reaches the console in one piece. */
#define SYS_write 103

#define EXEC_MAX_ARG_NUM 32  /* arguments exec passes, argv[0] included */
#define EXEC_MAX_ARG_LEN 255 /* bytes of one argument */

#endif /* !LIBS_UNISTD_H */
