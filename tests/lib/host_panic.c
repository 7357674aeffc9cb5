/* host_panic.c -- __panic on the host: record the message, then longjmp
 * to the test waiting for it (HOST_PANICS), or print it and abort. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "host_panic.h"

jmp_buf *volatile host_panic_jmp;
char host_panic_msg[512];

void __panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
    va_end(ap);
    if (host_panic_jmp != NULL) {
        longjmp(*host_panic_jmp, 1);
    }
    fprintf(stderr, "kernel panic at %s:%d: %s\n", file, line, host_panic_msg);
    abort();
}
