/* stdio.c -- console output for user programs.  cprintf collects its
 * characters and hands them to the kernel with one SYS_write per
 * STDIO_BUFSIZE bytes. */
#include <defs.h>
#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <syscall.h>

#define STDIO_BUFSIZE 256

struct outbuf {
    char buf[STDIO_BUFSIZE];
    size_t n;
    int cnt;
};

static void flush(struct outbuf *b)
{
    if (b->n > 0) {
        sys_write(1, b->buf, b->n);
        b->n = 0;
    }
}

static void bufputch(int c, void *data)
{
    struct outbuf *b = data;
    if (b->n == sizeof(b->buf)) {
        flush(b);
    }
    b->buf[b->n++] = (char)c;
    b->cnt++;
}

int vcprintf(const char *fmt, va_list ap)
{
    struct outbuf b = {.n = 0, .cnt = 0};
    vprintfmt(bufputch, &b, fmt, ap);
    flush(&b);
    return b.cnt;
}

int cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int cnt = vcprintf(fmt, ap);
    va_end(ap);
    return cnt;
}

void cputchar(int c) { sys_putc(c); }

int putchar(int c)
{
    sys_putc(c);
    return c;
}

int cputs(const char *str)
{
    int cnt = cprintf("%s\n", str);
    return cnt;
}
