/* panic.c -- report a fatal kernel error, then hand the machine to
 * whatever the layers above registered (the monitor, once it exists). */
#include <defs.h>
#include <stdio.h>
#include <x86.h>
#include <intr.h>
#include <kdebug.h>
#include <assert.h>

static bool is_panic;
static void (*panic_hook)(void);

void panic_set_hook(void (*hook)(void)) { panic_hook = hook; }

/* __panic - print "kernel panic at file:line:", the message and a
 * backtrace, then run the panic hook forever with interrupts off (halt
 * when none is registered).  A panic during a panic only prints its
 * message. */
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
        if (panic_hook != NULL) {
            panic_hook();
        } else {
            hlt();
        }
    }
}
