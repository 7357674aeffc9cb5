/*
 * printfmt.c -- a small printf engine: %d %i %u %o %x %X %p %c %s %%, with
 * the '-' and '0' flags, width, precision, and the l / ll length modifiers.
 * Output goes through a putch callback, so the same code serves the console
 * (cprintf) and buffers (snprintf).
 */
#include <defs.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct spec {
    int width;
    int precision;
    int lflag;
    char pad;
    bool left;
};

typedef void (*putch_t)(int, void *);

static void pad_out(putch_t putch, void *putdat, char c, int count)
{
    while (count-- > 0) {
        putch(c, putdat);
    }
}

/* print_str - @s (at most precision bytes) padded to the width. */
static void print_str(putch_t putch, void *putdat, const char *s,
                      const struct spec *sp)
{
    if (s == NULL) {
        s = "(null)";
    }
    int len =
        (sp->precision >= 0) ? (int)strnlen(s, sp->precision) : (int)strlen(s);
    if (!sp->left) {
        pad_out(putch, putdat, ' ', sp->width - len);
    }
    for (int i = 0; i < len; i++) {
        putch(s[i], putdat);
    }
    if (sp->left) {
        pad_out(putch, putdat, ' ', sp->width - len);
    }
}

/* print_num - @num in @base with an optional sign, padded to the width. */
static void print_num(putch_t putch, void *putdat, uint64_t num, unsigned base,
                      bool neg, bool upper, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    int len = 0;
    do {
        buf[len++] = digits[num % base];
        num /= base;
    } while (num != 0);
    int total = len + (neg ? 1 : 0);
    if (neg && sp->pad == '0') {
        putch('-', putdat);
    }
    if (!sp->left) {
        pad_out(putch, putdat, sp->pad, sp->width - total);
    }
    if (neg && sp->pad != '0') {
        putch('-', putdat);
    }
    while (len > 0) {
        putch(buf[--len], putdat);
    }
    if (sp->left) {
        pad_out(putch, putdat, ' ', sp->width - total);
    }
}

static uint64_t get_unsigned(va_list *ap, int lflag)
{
    if (lflag >= 2) {
        return va_arg(*ap, unsigned long long);
    }
    if (lflag == 1) {
        return va_arg(*ap, unsigned long);
    }
    return va_arg(*ap, unsigned int);
}

static int64_t get_signed(va_list *ap, int lflag)
{
    if (lflag >= 2) {
        return va_arg(*ap, long long);
    }
    if (lflag == 1) {
        return va_arg(*ap, long);
    }
    return va_arg(*ap, int);
}

/* parse_spec - read flags, width, precision and length after a '%'. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){.width = -1, .precision = -1, .pad = ' '};
    for (;; fmt++) {
        if (*fmt == '-') {
            sp->left = true;
        } else if (*fmt == '0') {
            sp->pad = '0';
        } else {
            break;
        }
    }
    if (*fmt == '*') {
        sp->width = va_arg(*ap, int);
        fmt++;
    }
    for (; *fmt >= '0' && *fmt <= '9'; fmt++) {
        sp->width = (sp->width < 0 ? 0 : sp->width * 10) + (*fmt - '0');
    }
    if (*fmt == '.') {
        sp->precision = 0;
        for (fmt++; *fmt >= '0' && *fmt <= '9'; fmt++) {
            sp->precision = sp->precision * 10 + (*fmt - '0');
        }
    }
    while (*fmt == 'l') {
        sp->lflag++;
        fmt++;
    }
    if (sp->left) {
        sp->pad = ' ';
    }
    return fmt;
}

/* print_conv - one conversion @c with spec @sp. */
static void print_conv(putch_t putch, void *putdat, char c, struct spec *sp,
                       va_list *ap)
{
    int64_t s;
    switch (c) {
    case 'c':
        putch(va_arg(*ap, int), putdat);
        break;
    case 's':
        print_str(putch, putdat, va_arg(*ap, const char *), sp);
        break;
    case 'd':
    case 'i':
        s = get_signed(ap, sp->lflag);
        print_num(putch, putdat, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0,
                  false, sp);
        break;
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        print_num(putch, putdat, get_unsigned(ap, sp->lflag),
                  c == 'u'   ? 10
                  : c == 'o' ? 8
                             : 16,
                  false, c == 'X', sp);
        break;
    case 'p':
        putch('0', putdat);
        putch('x', putdat);
        *sp = (struct spec){.width = 8, .precision = -1, .pad = '0'};
        print_num(putch, putdat, (uintptr_t)va_arg(*ap, void *), 16, false,
                  false, sp);
        break;
    case '%':
        putch('%', putdat);
        break;
    default:
        putch('%', putdat);
        putch(c, putdat);
    }
}

void vprintfmt(putch_t putch, void *putdat, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    for (; *fmt != '\0'; fmt++) {
        if (*fmt != '%') {
            putch(*fmt, putdat);
            continue;
        }
        struct spec sp;
        fmt = parse_spec(fmt + 1, &sp, &aq);
        if (*fmt == '\0') {
            break;
        }
        print_conv(putch, putdat, *fmt, &sp, &aq);
    }
    va_end(aq);
}

void printfmt(putch_t putch, void *putdat, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintfmt(putch, putdat, fmt, ap);
    va_end(ap);
}

struct sprintbuf {
    char *buf;
    char *end;
    int count;
};

static void sprintputch(int ch, void *data)
{
    struct sprintbuf *b = data;
    b->count++;
    if (b->buf < b->end) {
        *b->buf++ = (char)ch;
    }
}

/* vsnprintf - format into @str (always NUL-terminated when size > 0);
 * returns the length the full output would have. */
int vsnprintf(char *str, size_t size, const char *fmt, va_list ap)
{
    struct sprintbuf b = {str, str + (size > 0 ? size - 1 : 0), 0};
    vprintfmt(sprintputch, &b, fmt, ap);
    if (size > 0) {
        *b.buf = '\0';
    }
    return b.count;
}

int snprintf(char *str, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(str, size, fmt, ap);
    va_end(ap);
    return n;
}
