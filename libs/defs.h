/* defs.h -- basic types and helpers shared by the kernel, the boot loader
 * and the host harness.  Freestanding: depends on nothing else. */
#ifndef LIBS_DEFS_H
#define LIBS_DEFS_H

/* The host harness (tests/host) compiles kernel sources next to libc: there
 * the integer types, size_t and bool come from the host's own headers. */
#ifdef KERN_HOST_BUILD
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif

#ifndef __always_inline /* glibc's <sys/cdefs.h> has its own */
#define __always_inline inline __attribute__((always_inline))
#endif
#define __noinline __attribute__((noinline))
#define __noreturn __attribute__((noreturn))

#ifndef KERN_HOST_BUILD
#ifndef __cplusplus
typedef _Bool bool;
#define true 1
#define false 0
#endif

typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;

typedef int32_t intptr_t;
typedef uint32_t uintptr_t;
typedef uint32_t size_t;
#endif /* !KERN_HOST_BUILD */

/* Physical addresses and page numbers. */
typedef uintptr_t ppn_t;
typedef uintptr_t pte_t;
typedef uintptr_t pde_t;

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Round down / up to a multiple of n (any n > 0). */
#define ROUNDDOWN(a, n) ((a) - (a) % (n))
#define ROUNDUP(a, n)   ROUNDDOWN((a) + (n)-1, (n))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef offsetof
#define offsetof(type, member) ((size_t)(&((type *)0)->member))
#endif

/* to_struct - the struct that contains @ptr as its member @member. */
#define to_struct(ptr, type, member)                                           \
    ((type *)((char *)(ptr)-offsetof(type, member)))

#endif /* !LIBS_DEFS_H */
