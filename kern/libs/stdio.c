/* stdio.c -- console output and input for the kernel. */
#include <defs.h>
#include <stdio.h>
#include <console.h>

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

/* getchar - wait for a character from the keyboard or serial line. */
int getchar(void)
{
    int c;
    while ((c = cons_getc()) == 0) {
    }
    return c;
}
