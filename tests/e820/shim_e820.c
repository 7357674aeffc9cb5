/*
 * shim_e820.c -- what kern/mm/memmap.c and kern/mm/pmm/pool.c need from
 * the rest of the kernel, on the host: real memory at KERNBASE (so the
 * Page array and the pools' state land where the kernel puts them, and
 * PADDR/KADDR work unchanged), cprintf, __panic, intr_enable/disable.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <memlayout.h>
#include "shim_e820.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

void shim_init(size_t bytes)
{
    void *want = (void *)(uintptr_t)KERNBASE;
    void *got =
        mmap(want, bytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (got != want) {
        fprintf(stderr, "shim_init: cannot map %zu bytes at %p: %s\n", bytes,
                want, got == MAP_FAILED ? strerror(errno) : "placed elsewhere");
        exit(2);
    }
}

char shim_output[16384];
static size_t output_len;

void shim_output_clear(void)
{
    output_len = 0;
    shim_output[0] = '\0';
}

int cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = sizeof(shim_output) - output_len;
    int n = vsnprintf(shim_output + output_len, room, fmt, ap);
    va_end(ap);
    output_len += n < 0 ? 0 : MIN((size_t)n, room - 1);
    return n;
}

/* The host test runs with interrupts as the host has them. */
void intr_enable(void) {}
void intr_disable(void) {}
