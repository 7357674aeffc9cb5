/* syscall.c -- int T_SYSCALL with ucore's register convention: the number
 * in eax, up to five arguments in edx, ecx, ebx, edi, esi, the result in
 * eax. */
#include <defs.h>
#include <unistd.h>
#include <syscall.h>

static int syscall(int num, uint32_t a1, uint32_t a2, uint32_t a3)
{
    int ret;
    asm volatile("int %1"
                 : "=a"(ret)
                 : "i"(T_SYSCALL), "a"(num), "d"(a1), "c"(a2), "b"(a3), "D"(0),
                   "S"(0)
                 : "cc", "memory");
    return ret;
}

int sys_exit(int error_code) { return syscall(SYS_exit, error_code, 0, 0); }

int sys_fork(void) { return syscall(SYS_fork, 0, 0, 0); }

int sys_wait(int pid, int *store)
{
    return syscall(SYS_wait, pid, (uintptr_t)store, 0);
}

int sys_exec(const char **argv)
{
    return syscall(SYS_exec, (uintptr_t)argv, 0, 0);
}

int sys_yield(void) { return syscall(SYS_yield, 0, 0, 0); }

int sys_sleep(unsigned int ticks) { return syscall(SYS_sleep, ticks, 0, 0); }

int sys_kill(int pid) { return syscall(SYS_kill, pid, 0, 0); }

int sys_gettime(void) { return syscall(SYS_gettime, 0, 0, 0); }

int sys_getpid(void) { return syscall(SYS_getpid, 0, 0, 0); }

int sys_brk(uintptr_t *brk_store)
{
    return syscall(SYS_brk, (uintptr_t)brk_store, 0, 0);
}

int sys_mmap(uintptr_t *addr_store, size_t len, uint32_t mmap_flags)
{
    return syscall(SYS_mmap, (uintptr_t)addr_store, len, mmap_flags);
}

int sys_munmap(uintptr_t addr, size_t len)
{
    return syscall(SYS_munmap, addr, len, 0);
}

int sys_putc(int c) { return syscall(SYS_putc, c, 0, 0); }

int sys_pgdir(void) { return syscall(SYS_pgdir, 0, 0, 0); }

int sys_write(int fd, const void *buf, size_t len)
{
    return syscall(SYS_write, fd, (uintptr_t)buf, len);
}

int sys_vmstat(void *buf, size_t len)
{
    return syscall(SYS_vmstat, (uintptr_t)buf, len, 0);
}
