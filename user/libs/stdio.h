/* stdio.h -- formatted output for user programs: cprintf and friends go
 * to the console (user/libs/stdio.c), the printfmt family is libs/'s. */
#ifndef USER_LIBS_STDIO_H
#define USER_LIBS_STDIO_H

#include <defs.h>
#include <stdarg.h>

/* cprintf / vcprintf - format to the console; one write per call up to
 * STDIO_BUFSIZE bytes, so a line is not cut by other processes' output. */
int cprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vcprintf(const char *fmt, va_list ap);
void cputchar(int c);
int putchar(int c);
int cputs(const char *str); /* @str and a newline */

/* libs/printfmt.c */
void printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt,
               va_list ap);
int snprintf(char *str, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap);

#endif /* !USER_LIBS_STDIO_H */
