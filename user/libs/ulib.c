/* ulib.c -- the user library's process calls and panic/warn. */
#include <defs.h>
#include <error.h>
#include <stdarg.h>
#include <stdio.h>
#include <syscall.h>
#include <ulib.h>

void exit(int error_code)
{
    sys_exit(error_code);
    cprintf("BUG: exit failed.\n");
    for (;;) {
    }
}

int fork(void) { return sys_fork(); }

int wait(void) { return sys_wait(0, NULL); }

int waitpid(int pid, int *store) { return sys_wait(pid, store); }

void yield(void) { sys_yield(); }

int kill(int pid) { return sys_kill(pid); }

int getpid(void) { return sys_getpid(); }

void print_pgdir(void) { sys_pgdir(); }

void sleep(unsigned int ticks) { sys_sleep(ticks); }

unsigned int gettime_msec(void) { return (unsigned int)sys_gettime(); }

int exec(const char **argv) { return sys_exec(argv); }

int vmstat(struct vmstat *st)
{
    int n = sys_vmstat(st, sizeof(*st));
    return n == (int)sizeof(*st) ? 0 : n < 0 ? n : -E_INVAL;
}

int mmap(uintptr_t *addr_store, size_t len, uint32_t mmap_flags)
{
    return sys_mmap(addr_store, len, mmap_flags);
}

int munmap(uintptr_t addr, size_t len) { return sys_munmap(addr, len); }

void __warn(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cprintf("user warning at %s:%d:\n    ", file, line);
    vcprintf(fmt, ap);
    cprintf("\n");
    va_end(ap);
}

void __panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cprintf("user panic at %s:%d:\n    ", file, line);
    vcprintf(fmt, ap);
    cprintf("\n");
    va_end(ap);
    exit(-E_PANIC);
}
