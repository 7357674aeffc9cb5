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
#define SYS_brk     19
#define SYS_mmap    20
#define SYS_munmap  21
/* Not in ucore: vmstat(struct vmstat *, size) -- the page-fault counters,
 * the caller's pages and the process pool (libs/vmstat.h); fills at most
 * size bytes and returns how many it filled, or -E_INVAL. */
#define SYS_vmstat  22
#define SYS_putc    30
#define SYS_pgdir   31
/* Not in ucore Lab5 (ucore Lab8's number): write(fd 1, buf, len), so that
 * a line of cprintf reaches the console in one piece. */
#define SYS_write 103

/* mmap's flags (ucore's values): regions are always readable and writable
 * (the VMPool's permissions), so MMAP_WRITE is accepted and changes
 * nothing; any other bit is -E_INVAL. */
#define MMAP_WRITE 0x100

/* The heap and the mmap pool of a user address space (memlayout.h's
 * diagram): brk grows the heap from the end of the program's bss up to
 * UHEAPTOP at most; mmap hands out regions of the VMPool [UMMAP_BASE,
 * UMMAP_TOP), whose first page holds the pool's metadata (kernel only). */
#define UHEAPTOP   0x90000000
#define UMMAP_BASE 0x90000000
#define UMMAP_TOP  0xA0000000
#define UMMAP_SIZE (UMMAP_TOP - UMMAP_BASE)

#define EXEC_MAX_ARG_NUM 32  /* arguments exec passes, argv[0] included */
#define EXEC_MAX_ARG_LEN 255 /* bytes of one argument */

#endif /* !LIBS_UNISTD_H */
