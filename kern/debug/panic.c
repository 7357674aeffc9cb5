/* panic.c -- report a fatal kernel error and drop into the monitor. */
#include <defs.h>
#include <stdio.h>
#include <intr.h>
#include <kdebug.h>
#include <kmonitor.h>

static bool is_panic;

/* __panic - print "kernel panic at file:line:", the message and a
 * backtrace, then run the monitor forever with interrupts off.  A panic
 * during a panic only prints its message. */
void __panic(const char *file, int line, const char *fmt, ...)
{
    intr_disable();
    va_list ap;
    va_start(ap, fmt);
    cprintf("kernel panic at %s:%d:\n    ", file, line);
    vcprintf(fmt, ap);
    cprintf("\n");
    va_end(ap);
    if (!is_panic) {
        is_panic = true;
        print_stackframe();
    }
    for (;;) {
        kmonitor(NULL);
    }
}
