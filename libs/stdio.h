/* stdio.h -- formatted output.  printfmt/snprintf are freestanding (libs/);
 * cprintf and the console functions are provided by the kernel. */
#ifndef LIBS_STDIO_H
#define LIBS_STDIO_H

#include <defs.h>
#include <stdarg.h>

/* libs/printfmt.c */
void printfmt(void (*putch)(int, void *), void *putdat, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void vprintfmt(void (*putch)(int, void *), void *putdat, const char *fmt,
               va_list ap);
int snprintf(char *str, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap);

/* kern/libs/stdio.c */
int cprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vcprintf(const char *fmt, va_list ap);
void cputchar(int c);
int getchar(void);

/* kern/libs/readline.c */
char *readline(const char *prompt);

#endif /* !LIBS_STDIO_H */
