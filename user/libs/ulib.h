/* ulib.h -- the user library of ucore Lab5 (and Lab6's sleep and
 * gettime_msec): process calls, panic/warn/assert. */
#ifndef USER_LIBS_ULIB_H
#define USER_LIBS_ULIB_H

#include <defs.h>
#include <vmstat.h>

void __warn(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void __panic(const char *file, int line, const char *fmt, ...) __noreturn
    __attribute__((format(printf, 3, 4)));

/* warn / panic - print "user warning|panic at FILE:LINE:" and the message;
 * panic then exits with -E_PANIC. */
#define warn(...)  __warn(__FILE__, __LINE__, __VA_ARGS__)
#define panic(...) __panic(__FILE__, __LINE__, __VA_ARGS__)

#define assert(x)                                                              \
    do {                                                                       \
        if (!(x)) {                                                            \
            panic("assertion failed: %s", #x);                                 \
        }                                                                      \
    } while (0)

void exit(int error_code) __noreturn;
int fork(void);
int wait(void);                   /* any child; 0 or an error */
int waitpid(int pid, int *store); /* its exit code in *store */
void yield(void);
int kill(int pid);
int getpid(void);
void print_pgdir(void);
void sleep(unsigned int ticks);  /* timer ticks, 10 ms each */
unsigned int gettime_msec(void); /* since boot */
int exec(const char **argv);     /* argv[0]: a built-in program */

/* vmstat - the page-fault counters, this process's pages and the process
 * pool (libs/vmstat.h, SYS_vmstat); 0 or -E_INVAL. */
int vmstat(struct vmstat *st);
/* mmap - @len bytes (rounded up to pages) of zeroed memory from the
 * process's VMPool (libs/unistd.h: UMMAP_BASE..UMMAP_TOP); *@addr_store
 * must be 0 and receives the address.  0, -E_INVAL or -E_NO_MEM. */
int mmap(uintptr_t *addr_store, size_t len, uint32_t mmap_flags);
/* munmap - give back the whole region mmap returned at @addr (@len: the
 * length given to mmap); 0 or -E_INVAL. */
int munmap(uintptr_t addr, size_t len);

#endif /* !USER_LIBS_ULIB_H */
