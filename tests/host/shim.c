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
#include <sanitizer/asan_interface.h> /* no-ops without ASan */

#include "shim.h"
#include <pmm_guard.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000 /* Linux >= 4.17; older glibc lacks it */
#endif

struct Page *pages;
size_t npage;
size_t npage_direct; /* every host frame counts as direct-mapped */
const struct pmm_manager *host_manager;
struct pmm_state *host_state;

struct host_layout host_layout;
void (*host_page_observer)(struct Page *base, size_t n, bool taken);

static size_t backing_mapped; /* bytes mapped at KERNBASE, kept between
                                 setups (see map_backing) */
static bool quiet;
static FILE *capture; /* cprintf's output goes here when set */
static char *capture_buf;
static size_t capture_len;

/* host_run_check's buffers, kept here so that a check that panics (and
 * longjmps out) leaks nothing: scratch state for the private instances, and
 * copies of pages[] and of the live state from before the check. */
static void *check_scratch;
static struct Page *check_pages;
static void *check_state;

/* map_backing - @bytes of zeroed memory at KERNBASE, and nothing
 * accessible after them.  The mapping stays from one host_setup to the
 * next (a fuzz target sets up a memory per input, and faulting fresh
 * pages in was a quarter of its time): when it is large enough, the part
 * needed is made accessible, unpoisoned (the kview poisons what kmalloc
 * does not hold) and zeroed, as a new mapping would be; the rest is made
 * inaccessible, as past the end of a new mapping. */
static void map_backing(size_t bytes)
{
    char *want = (char *)(uintptr_t)KERNBASE;
    if (backing_mapped >= bytes) {
        if (mprotect(want, bytes, PROT_READ | PROT_WRITE) != 0 ||
            (backing_mapped > bytes &&
             mprotect(want + bytes, backing_mapped - bytes, PROT_NONE) != 0)) {
            fprintf(stderr, "host_setup: mprotect at %p: %s\n", want,
                    strerror(errno));
            exit(2);
        }
        ASAN_UNPOISON_MEMORY_REGION(want, bytes);
        memset(want, 0, bytes);
        return;
    }
    if (backing_mapped != 0) {
        munmap(want, backing_mapped);
        backing_mapped = 0;
    }
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
    backing_mapped = bytes;
}

/* check_buffers_free - drop host_run_check's buffers. */
static void check_buffers_free(void)
{
    free(check_scratch);
    free(check_pages);
    free(check_state);
    check_scratch = check_pages = check_state = NULL;
}

void host_teardown(void)
{
    check_buffers_free();
    free(host_state);
    host_state = NULL;
    free(pages);
    pages = NULL;
    npage = npage_direct = 0;
    host_manager = NULL;
}

/* state_alloc - @size bytes of zeroed, page-aligned heap, as pool_create
 * carves a pool's state (the kernel rounds the size up to whole pages; the
 * host does not, so that ASan sees a manager writing past state_size()). */
static void *state_alloc(size_t size)
{
    void *p = NULL;
    if (size == 0 || posix_memalign(&p, PGSIZE, size) != 0) {
        fprintf(stderr, "host: no memory for %zu bytes of manager state\n",
                size);
        exit(2);
    }
    return memset(p, 0, size);
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
    /* As the kernel's page_init, pool_create and pool_give do: everything
     * reserved, one instance over all of it, then each usable range handed
     * over still reserved (the manager takes its frames over). */
    for (size_t i = 0; i < n; i++) {
        SetPageReserved(pages + i);
    }
    host_manager = m;
    if (pmm_per_pool(m)) {
        host_state = state_alloc(m->pool.state_size(n));
        m->pool.init(host_state, pages, n);
    } else {
        m->init();
    }
    for (int r = 0; r < 2; r++) {
        struct Page *base = pages + host_layout.region_start[r];
        if (host_state != NULL) {
            m->pool.init_memmap(host_state, base, host_layout.region_len[r]);
        } else {
            m->init_memmap(base, host_layout.region_len[r]);
        }
    }
}

/* The kernel's front ends (pool.c) for the one instance, minus the
 * interrupt masking. */
struct Page *alloc_pages(size_t n)
{
    pmm_guard_alloc("alloc_pages", n);
    struct Page *p = host_state != NULL
                         ? host_manager->pool.alloc_pages(host_state, n)
                         : host_manager->alloc_pages(n);
    if (p != NULL && host_page_observer != NULL) {
        host_page_observer(p, n, true);
    }
    return p;
}

void free_pages(struct Page *base, size_t n)
{
    pmm_guard_free("free_pages", base, n);
    if (host_page_observer != NULL) {
        host_page_observer(base, n, false);
    }
    if (host_state != NULL) {
        host_manager->pool.free_pages(host_state, base, n);
    } else {
        host_manager->free_pages(base, n);
    }
}

size_t nr_free_pages(void)
{
    return host_state != NULL ? host_manager->pool.nr_free_pages(host_state)
                              : host_manager->nr_free_pages();
}

bool host_show_free(void)
{
    if (host_state == NULL || host_manager->pool.show_free == NULL) {
        return false;
    }
    host_manager->pool.show_free(host_state);
    return true;
}

/* snapshot - a heap copy of @n bytes at @src. */
static void *snapshot(const void *src, size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fprintf(stderr, "host_run_check: no memory for a %zu-byte copy\n", n);
        exit(2);
    }
    return memcpy(p, src, n);
}

/* check_left_no_trace - panic unless pages[] outside [@lent, @lent + n)
 * and the live state are as they were before the check. */
static void check_left_no_trace(const struct Page *lent, size_t n,
                                size_t state_size)
{
    size_t first = lent - pages;
    for (size_t i = 0; i < npage; i++) {
        if ((i < first || i >= first + n) &&
            memcmp(&check_pages[i], &pages[i], sizeof(struct Page)) != 0) {
            panic("host_run_check: %s's check changed page %zu, outside the "
                  "%zu frames [%zu, %zu) it was lent",
                  host_manager->name, i, n, first, first + n);
        }
    }
    if (memcmp(check_state, host_state, state_size) != 0) {
        panic("host_run_check: %s's check changed the live instance's state",
              host_manager->name);
    }
}

/* lend - @n frames of the live instance, reserved as init_memmap expects;
 * NULL (nothing changed) when it has no run of @n. */
static struct Page *lend(size_t n)
{
    struct Page *frames = alloc_pages(n);
    for (size_t i = 0; frames != NULL && i < n; i++) {
        SetPageReserved(frames + i);
    }
    return frames;
}

/* take_back - clear what the check left in the lent frames, as
 * check_private does, and free them to the live instance. */
static void take_back(struct Page *frames, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        frames[i].flags = frames[i].property = 0;
        set_page_ref(frames + i, 0);
    }
    free_pages(frames, n);
}

enum host_check host_run_check(void)
{
    const struct pmm_manager *m = host_manager;
    if (!pmm_per_pool(m)) {
        if (m->check == NULL) {
            return HOST_CHECK_NONE;
        }
        m->check();
        return HOST_CHECK_PASSED;
    }
    if (m->pool.check == NULL) {
        return HOST_CHECK_NONE;
    }
    const size_t n = HOST_CHECK_FRAMES;
    struct Page *frames = lend(n);
    if (frames == NULL) {
        return HOST_CHECK_NO_ROOM;
    }
    size_t live_size = m->pool.state_size(npage);
    check_buffers_free();
    check_pages = snapshot(pages, npage * sizeof(struct Page));
    check_state = snapshot(host_state, live_size);
    check_scratch = state_alloc(m->pool.state_size(n));
    m->pool.check(check_scratch, frames, n);
    check_left_no_trace(frames, n, live_size);
    check_buffers_free();
    take_back(frames, n);
    return HOST_CHECK_PASSED;
}

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
