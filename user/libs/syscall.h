/* syscall.h -- one function per system call (libs/unistd.h). */
#ifndef USER_LIBS_SYSCALL_H
#define USER_LIBS_SYSCALL_H

#include <defs.h>

int sys_exit(int error_code);
int sys_fork(void);
int sys_wait(int pid, int *store);
int sys_exec(const char **argv);
int sys_yield(void);
int sys_sleep(unsigned int ticks);
int sys_kill(int pid);
int sys_gettime(void);
int sys_getpid(void);
int sys_brk(uintptr_t *brk_store);
int sys_mmap(uintptr_t *addr_store, size_t len, uint32_t mmap_flags);
int sys_munmap(uintptr_t addr, size_t len);
int sys_putc(int c);
int sys_pgdir(void);
int sys_write(int fd, const void *buf, size_t len);
int sys_vmstat(void *buf, size_t len);

#endif /* !USER_LIBS_SYSCALL_H */
