/*
 * shim_vma.c -- what kern/mm/vmm/vma.c needs from the kernel, on the host:
 * a Page array whose frames are real memory mapped at KERNBASE (so
 * page2kva works unchanged), a first-fit alloc_pages / free_pages over
 * it, cprintf (which can count messages without printing them) and
 * __panic.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <pmm.h>
#include "shim_vma.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

struct Page *pages;
size_t npage, npage_direct;

void shim_init(size_t nframes)
{
    void *want = (void *)(uintptr_t)KERNBASE;
    void *got =
        mmap(want, nframes * PGSIZE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (got != want) {
        fprintf(stderr, "shim_init: cannot map %zu frames at %p: %s\n", nframes,
                want, got == MAP_FAILED ? strerror(errno) : "placed elsewhere");
        exit(2);
    }
    pages = calloc(nframes, sizeof(struct Page));
    if (pages == NULL) {
        fprintf(stderr, "shim_init: out of memory\n");
        exit(2);
    }
    npage = npage_direct = nframes;
}

struct Page *alloc_pages(size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < npage; i++) {
        run = pages[i].ref ? 0 : run + 1;
        if (run == n) {
            for (size_t j = i + 1 - n; j <= i; j++) {
                pages[j].ref = 1;
            }
            return &pages[i + 1 - n];
        }
    }
    return NULL;
}

void free_pages(struct Page *base, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (base[i].ref != 1) {
            panic("free_pages: page %p is not allocated", (void *)(base + i));
        }
        base[i].ref = 0;
    }
}

size_t shim_pages_in_use(void)
{
    size_t n = 0;
    for (size_t i = 0; i < npage; i++) {
        n += pages[i].ref != 0;
    }
    return n;
}

bool shim_quiet;
unsigned long shim_messages;

int cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = shim_quiet ? vsnprintf(NULL, 0, fmt, ap) : vprintf(fmt, ap);
    va_end(ap);
    shim_messages++;
    return n;
}

void __panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "panic at %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}
