/* string.h -- freestanding string and memory functions (libs/string.c). */
#ifndef LIBS_STRING_H
#define LIBS_STRING_H

#include <defs.h>

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t len);
char *strcpy(char *dst, const char *src);
int strcmp(const char *s1, const char *s2);
int strncmp(const char *s1, const char *s2, size_t n);
char *strchr(const char *s, char c);
long strtol(const char *s, char **endptr, int base);

void *memset(void *s, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *v1, const void *v2, size_t n);

#endif /* !LIBS_STRING_H */
