/* string.c -- freestanding string and memory functions. */
#include <string.h>

size_t strlen(const char *s)
{
    size_t n = 0;
    while (*s++ != '\0') {
        n++;
    }
    return n;
}

size_t strnlen(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && *s++ != '\0') {
        n++;
    }
    return n;
}

char *strcpy(char *dst, const char *src)
{
    char *p = dst;
    while ((*p++ = *src++) != '\0') {
    }
    return dst;
}

int strcmp(const char *s1, const char *s2)
{
    while (*s1 != '\0' && *s1 == *s2) {
        s1++;
        s2++;
    }
    return (int)((unsigned char)*s1 - (unsigned char)*s2);
}

int strncmp(const char *s1, const char *s2, size_t n)
{
    while (n > 0 && *s1 != '\0' && *s1 == *s2) {
        n--;
        s1++;
        s2++;
    }
    return (n == 0) ? 0 : (int)((unsigned char)*s1 - (unsigned char)*s2);
}

/* strchr - the first @c in @s, or NULL. */
char *strchr(const char *s, char c)
{
    for (; *s != '\0'; s++) {
        if (*s == c) {
            return (char *)s;
        }
    }
    return NULL;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    return 99;
}

/* strtol - parse a signed integer; base 0 accepts 0x (hex) and 0 (octal). */
long strtol(const char *s, char **endptr, int base)
{
    int neg = 0;
    unsigned long val = 0; /* wraps instead of overflowing */
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (*s == '+' || *s == '-') {
        neg = (*s++ == '-');
    }
    if ((base == 0 || base == 16) && s[0] == '0' &&
        (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        base = 16;
    } else if (base == 0 && s[0] == '0') {
        base = 8;
    } else if (base == 0) {
        base = 10;
    }
    for (int d; (d = digit_value(*s)) < base; s++) {
        val = val * base + d;
    }
    if (endptr != NULL) {
        *endptr = (char *)s;
    }
    return (long)(neg ? -val : val);
}

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;
    while (n-- > 0) {
        *p++ = (unsigned char)c;
    }
    return s;
}

/* memmove - copy @n bytes; the areas may overlap. */
void *memmove(void *dst, const void *src, size_t n)
{
    const unsigned char *s = src;
    unsigned char *d = dst;
    if (s < d && s + n > d) {
        while (n-- > 0) {
            d[n] = s[n];
        }
    } else {
        while (n-- > 0) {
            *d++ = *s++;
        }
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    return memmove(dst, src, n);
}

int memcmp(const void *v1, const void *v2, size_t n)
{
    const unsigned char *s1 = v1, *s2 = v2;
    for (; n > 0; n--, s1++, s2++) {
        if (*s1 != *s2) {
            return (int)*s1 - (int)*s2;
        }
    }
    return 0;
}
