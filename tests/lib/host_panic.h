/* host_panic.h -- the kernel's __panic for host tests (host_panic.c):
 * kernel code compiled on the host panics into the test that waits for
 * it.  Shared by the allocator harness (tests/host) and the e820 test. */
#ifndef TESTS_LIB_HOST_PANIC_H
#define TESTS_LIB_HOST_PANIC_H

#include <setjmp.h>
#include <stdbool.h>

/*
 * Panic capture.  With host_panic_jmp set, __panic() records its formatted
 * message in host_panic_msg and longjmps there; without, it prints the
 * message and aborts.  HOST_PANICS(stmt) runs @stmt and evaluates to true
 * when it panicked.  After a panic the state of the code that panicked is
 * suspect: set it up again before using it.
 */
extern jmp_buf *volatile host_panic_jmp;
extern char host_panic_msg[512];

#define HOST_PANICS(stmt)                                                      \
    __extension__({                                                            \
        jmp_buf host_jb_;                                                      \
        volatile bool host_panicked_ = true;                                   \
        host_panic_msg[0] = '\0';                                              \
        host_panic_jmp = &host_jb_;                                            \
        if (setjmp(host_jb_) == 0) {                                           \
            stmt;                                                              \
            host_panicked_ = false;                                            \
        }                                                                      \
        host_panic_jmp = NULL;                                                 \
        host_panicked_;                                                        \
    })

#endif /* !TESTS_LIB_HOST_PANIC_H */
