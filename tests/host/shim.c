/*
 * shim.c -- what the kernel provides to kern/mm, provided on the host.
 * See shim.h for the contract.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "shim.h"
#include <pmm_guard.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* Linux >= 4.17; older glibc lacks it */
#endif

struct Page *pages;
size_t npage;
size_t npage_direct; /* every host frame counts as direct-mapped */
const struct pmm_manager *pmm_manager;

struct host_layout host_layout;
jmp_buf *volatile host_panic_jmp;
char host_panic_msg[512];

static size_t backing_bytes; /* mapped at KERNBASE, 0 when none */
static bool quiet;
static FILE *capture; /* cprintf's output goes here when set */
static char *capture_buf;
static size_t capture_len;

static void map_backing(size_t bytes)
{
    void *want = (void *)(uintptr_t)KERNBASE;
    void *got =
        mmap(want, bytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (got != want) {
        fprintf(stderr, "host_setup: cannot map %zu bytes at %p: %s\n", bytes,
                want, got == MAP_FAILED ? strerror(errno) : "placed elsewhere");
        if (got != MAP_FAILED) {
            munmap(got, bytes);
        }
        exit(2);
    }
    backing_bytes = bytes;
}

void host_teardown(void)
{
    if (backing_bytes != 0) {
        munmap((void *)(uintptr_t)KERNBASE, backing_bytes);
        backing_bytes = 0;
    }
    free(pages);
    pages = NULL;
    npage = npage_direct = 0;
    pmm_manager = NULL;
}

/* plan_layout - a few reserved pages at the bottom, a reserved hole in the
 * middle, the rest in two usable regions. */
static void plan_layout(size_t n)
{
    size_t lo = n / 64 > 1 ? n / 64 : 1;
    size_t hole_start = n / 2, hole_end = hole_start + lo;
    host_layout = (struct host_layout){
        .npage = n,
        .region_start = {lo, hole_end},
        .region_len = {hole_start - lo, n - hole_end},
        .usable = (hole_start - lo) + (n - hole_end),
    };
}

void host_setup(const struct pmm_manager *m, size_t n, unsigned flags)
{
    host_teardown();
    if (n < 8 || n > KMEMSIZE / PGSIZE) {
        fprintf(stderr, "host_setup: %zu pages is not a sensible memory\n", n);
        exit(2);
    }
    pages = calloc(n, sizeof(struct Page));
    if (pages == NULL) {
        fprintf(stderr, "host_setup: no memory for %zu Page structs\n", n);
        exit(2);
    }
    npage = npage_direct = n;
    if (flags & HOST_BACKING) {
        map_backing(n * PGSIZE);
    }
    quiet = (flags & HOST_QUIET) != 0;
    plan_layout(n);
    /* As the kernel's page_init and pool_give do: everything reserved,
     * then each usable range unreserved and handed over. */
    for (size_t i = 0; i < n; i++) {
        SetPageReserved(pages + i);
    }
    pmm_manager = m;
    m->init();
    for (int r = 0; r < 2; r++) {
        for (size_t i = 0; i < host_layout.region_len[r]; i++) {
            ClearPageReserved(pages + host_layout.region_start[r] + i);
        }
        m->init_memmap(pages + host_layout.region_start[r],
                       host_layout.region_len[r]);
    }
}

/* The kernel's front ends, minus the interrupt masking. */
struct Page *alloc_pages(size_t n)
{
    pmm_guard_alloc("alloc_pages", n);
    return pmm_manager->alloc_pages(n);
}

void free_pages(struct Page *base, size_t n)
{
    pmm_guard_free("free_pages", base, n);
    pmm_manager->free_pages(base, n);
}

size_t nr_free_pages(void) { return pmm_manager->nr_free_pages(); }

void host_capture_begin(void)
{
    capture = open_memstream(&capture_buf, &capture_len);
    if (capture == NULL) {
        perror("host_capture_begin");
        exit(2);
    }
}

char *host_capture_end(void)
{
    fclose(capture);
    capture = NULL;
    return capture_buf;
}

int vcprintf(const char *fmt, va_list ap)
{
    if (capture != NULL) {
        return vfprintf(capture, fmt, ap);
    }
    return quiet ? 0 : vprintf(fmt, ap);
}

int cprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vcprintf(fmt, ap);
    va_end(ap);
    return n;
}

void __panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
    va_end(ap);
    if (host_panic_jmp != NULL) {
        longjmp(*host_panic_jmp, 1);
    }
    fprintf(stderr, "kernel panic at %s:%d: %s\n", file, line, host_panic_msg);
    abort();
}
