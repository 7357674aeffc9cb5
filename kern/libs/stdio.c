/* stdio.c -- console output and input for the kernel. */
#include <defs.h>
#include <stdio.h>
#include <console.h>
#include <x86.h>
#include <mmu.h>

static void cputch(int c, void *cnt)
{
    cons_putc(c);
    (*(int *)cnt)++;
}

/* vcprintf - format to the console; returns the characters written. */
int vcprintf(const char *fmt, va_list ap)
{
    int cnt = 0;
    vprintfmt(cputch, &cnt, fmt, ap);
    return cnt;
}

/* cprintf - printf to the console (screen and serial). */
int cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int cnt = vcprintf(fmt, ap);
    va_end(ap);
    return cnt;
}

void cputchar(int c) { cons_putc(c); }

/* getchar - wait for a character from the keyboard or serial line.  With
 * interrupts on, the CPU sleeps (hlt) between looks, so a machine waiting
 * at the monitor costs its host nothing; the check and the sleep are one
 * step (cli, then "sti; hlt"), so a key that arrives in between still
 * wakes it.  With interrupts off (in a panic) it polls. */
int getchar(void)
{
    bool sleep = read_eflags() & FL_IF;
    int c;

    for (;;) {
        if (sleep) {
            cli();
        }
        if ((c = cons_getc()) != 0) {
            break;
        }
        if (sleep) {
            asm volatile("sti; hlt");
        }
    }
    if (sleep) {
        sti();
    }
    return c;
}
