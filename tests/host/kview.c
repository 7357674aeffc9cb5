/* kview.c -- see kview.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h> /* no-ops without ASan */

#include "kview.h"
#include <kmalloc.h>

static struct kview *watching; /* the one kview host_page_observer serves */

static void __attribute__((noreturn, format(printf, 1, 2)))
kfail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kview (%s, call %llu): ", host_manager->name,
            watching ? (unsigned long long)watching->calls : 0ull);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static uintptr_t page_va(size_t ppn) { return KERNBASE + ppn * PGSIZE; }

/* observe - host_page_observer: keep held[] and the ASan poison in step
 * with the pages the page allocator has handed out. */
static void observe(struct Page *base, size_t n, bool taken)
{
    struct kview *kv = watching;
    size_t first = base - pages;
    for (size_t i = first; i < first + n; i++) {
        if (kv->held[i] == taken) {
            kfail("page %zu %s twice", i, taken ? "handed out" : "given back");
        }
        kv->held[i] = taken;
    }
    kv->nheld = taken ? kv->nheld + n : kv->nheld - n;
    void *va = (void *)page_va(first);
    if (taken) {
        ASAN_UNPOISON_MEMORY_REGION(va, n * PGSIZE);
        return;
    }
    int32_t id = addrset_meets(&kv->set, page_va(first), page_va(first + n));
    if (id != ADDRSET_NONE) {
        kfail("pages [%zu, %zu) given back hold the live object %#lx (%zu "
              "bytes)",
              first, first + n, (unsigned long)kv->set.node[id].start,
              kv->set.node[id].len);
    }
    ASAN_POISON_MEMORY_REGION(va, n * PGSIZE);
}

void kview_init(struct kview *kv)
{
    if (nr_free_pages() != host_layout.usable || watching != NULL) {
        fprintf(stderr, "kview_init: pages in use, or a kview already on\n");
        exit(2);
    }
    *kv =
        (struct kview){.held = calloc(npage, 1), .start_free = nr_free_pages()};
    if (kv->held == NULL) {
        fprintf(stderr, "kview_init: out of memory\n");
        exit(2);
    }
    addrset_init(&kv->set);
    ASAN_POISON_MEMORY_REGION((void *)page_va(0), npage * PGSIZE);
    watching = kv;
    host_page_observer = observe;
}

void kview_destroy(struct kview *kv)
{
    ASAN_UNPOISON_MEMORY_REGION((void *)page_va(0), npage * PGSIZE);
    host_page_observer = NULL;
    watching = NULL;
    addrset_destroy(&kv->set);
    free(kv->live);
    free(kv->held);
    kv->live = NULL;
    kv->held = NULL;
}

/* pattern_word - word @j of the pattern of the object tagged @tag. */
static uint64_t pattern_word(uint32_t tag, size_t j)
{
    uint64_t x =
        (tag + 1ull) * 0x9e3779b97f4a7c15ull ^ j * 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 29);
}

/* fill - write the pattern of @tag over the object at @p (@n bytes).  A
 * whole word is one copy of constant size (a store, even under ASan's
 * interceptors); only the last, partial word is copied byte-wise. */
static void fill(unsigned char *p, size_t n, uint32_t tag)
{
    size_t j = 0;
    for (; n - j >= 8; j += 8) {
        uint64_t w = pattern_word(tag, j / 8);
        memcpy(p + j, &w, 8);
    }
    if (j < n) {
        uint64_t w = pattern_word(tag, j / 8);
        memcpy(p + j, &w, n - j);
    }
}

/* check_pattern - the object at @p (@n bytes, @tag) is as fill left it. */
static void check_pattern(const unsigned char *p, size_t n, uint32_t tag)
{
    for (size_t j = 0; j < n; j += 8) {
        uint64_t w = pattern_word(tag, j / 8), got = 0;
        bool same;
        if (n - j >= 8) { /* a load, as in fill */
            memcpy(&got, p + j, 8);
            same = got == w;
        } else {
            memcpy(&got, p + j, n - j);
            same = memcmp(&got, &w, n - j) == 0;
        }
        if (!same) {
            kfail("object %p (%zu bytes) was overwritten near byte %zu", p, n,
                  j);
        }
    }
}

/* check_counts - kmalloc_usage and nr_free_pages agree with the view. */
static void check_counts(const struct kview *kv, const char *after)
{
    struct kmalloc_usage u = kmalloc_usage();
    if (u.objects != kv->nlive || u.bytes < kv->requested ||
        u.bytes > kv->nheld * PGSIZE) {
        kfail("after %s: kmalloc_usage %zu objects, %zu bytes; the view has "
              "%zu objects of %llu bytes in %zu pages",
              after, u.objects, u.bytes, kv->nlive,
              (unsigned long long)kv->requested, kv->nheld);
    }
    if (nr_free_pages() != kv->start_free - kv->nheld) {
        kfail("after %s: nr_free_pages() %zu, the view %zu", after,
              nr_free_pages(), kv->start_free - kv->nheld);
    }
}

static bool pow2(size_t n) { return (n & (n - 1)) == 0; }

/* check_placement - a fresh object of @size bytes at @a: aligned as
 * documented, in held pages, meeting no live object. */
static void check_placement(const struct kview *kv, uintptr_t a, size_t size)
{
    if (a % 8 != 0 || (pow2(size) && size <= 1024 && a % size != 0) ||
        (size > PGSIZE / 2 && a % PGSIZE != 0)) {
        kfail("kmalloc(%zu) = %#lx is misaligned", size, (unsigned long)a);
    }
    if (size <= PGSIZE / 2 && a / PGSIZE != (a + size - 1) / PGSIZE) {
        kfail("kmalloc(%zu) = %#lx crosses a page boundary", size,
              (unsigned long)a);
    }
    if (a < KERNBASE || a - KERNBASE > npage * PGSIZE - size) {
        kfail("kmalloc(%zu) = %#lx is outside memory", size, (unsigned long)a);
    }
    for (size_t p = (a - KERNBASE) / PGSIZE; p * PGSIZE < a - KERNBASE + size;
         p++) {
        if (!kv->held[p]) {
            kfail("kmalloc(%zu) = %#lx lies in page %zu, which the page "
                  "allocator has not handed out",
                  size, (unsigned long)a, p);
        }
    }
    int32_t id = addrset_meets(&kv->set, a, a + size);
    if (id != ADDRSET_NONE) {
        kfail("kmalloc(%zu) = %#lx overlaps the live object %#lx (%zu bytes)",
              size, (unsigned long)a, (unsigned long)kv->set.node[id].start,
              kv->set.node[id].len);
    }
}

/* check_null - kmalloc(@size) gave NULL: allowed for 0, or when memory is
 * short, and then nothing changed (@free_before: nr_free_pages before). */
static void check_null(const struct kview *kv, size_t size, size_t free_before)
{
    if (size == 0) {
        return;
    }
    if (nr_free_pages() != free_before) {
        kfail("failed kmalloc(%zu) changed nr_free_pages() %zu -> %zu", size,
              free_before, nr_free_pages());
    }
    if (size <= PGSIZE && free_before != 0) {
        kfail("kmalloc(%zu) = NULL with %zu pages free", size, free_before);
    }
    check_counts(kv, "a failed kmalloc");
}

/* check_pages_moved - the call on an object of @size bytes moved
 * @moved pages (taken by kmalloc, or given back by kfree): a large object
 * exactly its pages, a slab object at most one (a slab taken or given back). */
static void check_pages_moved(size_t size, size_t moved, const char *call)
{
    size_t want = size > PGSIZE / 2 ? ROUNDUP(size, PGSIZE) / PGSIZE : 1;
    if (size > PGSIZE / 2 ? moved != want : moved > want) {
        kfail("%s of %zu bytes moved %zu pages, not %s%zu", call, size, moved,
              size > PGSIZE / 2 ? "" : "at most ", want);
    }
}

/* remember - add the object at @a to the view and fill it. */
static void remember(struct kview *kv, uintptr_t a, size_t size)
{
    if (kv->nlive == kv->cap) {
        kv->cap = kv->cap ? 2 * kv->cap : 1024;
        kv->live = realloc(kv->live, kv->cap * sizeof(*kv->live));
        if (kv->live == NULL) {
            fprintf(stderr, "kview: out of memory\n");
            exit(2);
        }
    }
    uint32_t tag = kv->next_tag++;
    kv->live[kv->nlive++] = addrset_insert(&kv->set, a, size, tag);
    kv->requested += size;
    fill((unsigned char *)a, size, tag);
}

void *kview_alloc(struct kview *kv, size_t size)
{
    size_t free_before = nr_free_pages(), held_before = kv->nheld;
    kv->calls++;
    void *p = kmalloc(size);
    if (p == NULL) {
        kv->nulls++;
        check_null(kv, size, free_before);
        return NULL;
    }
    if (size == 0) {
        kfail("kmalloc(0) = %p, not NULL", p);
    }
    check_pages_moved(size, kv->nheld - held_before, "kmalloc");
    check_placement(kv, (uintptr_t)p, size);
    remember(kv, (uintptr_t)p, size);
    check_counts(kv, "kmalloc");
    return p;
}

void kview_free(struct kview *kv, size_t i)
{
    int32_t id = kv->live[i];
    const struct addrset_node *o = &kv->set.node[id];
    void *p = (void *)o->start;
    size_t len = o->len, held_before = kv->nheld;
    check_pattern(p, len, o->tag);
    kv->requested -= len;
    addrset_erase(&kv->set, id); /* first: kfree's pages may go back */
    kv->live[i] = kv->live[--kv->nlive];
    kv->calls++;
    kfree(p);
    check_pages_moved(len, held_before - kv->nheld, "kfree");
    check_counts(kv, "kfree");
}

void kview_free_all(struct kview *kv)
{
    while (kv->nlive > 0) {
        kview_free(kv, kv->nlive - 1);
    }
}

void kview_check_patterns(const struct kview *kv)
{
    for (size_t i = 0; i < kv->nlive; i++) {
        const struct addrset_node *o = &kv->set.node[kv->live[i]];
        check_pattern((const unsigned char *)o->start, o->len, o->tag);
    }
}

void kview_expect_empty(struct kview *kv)
{
    kmalloc_reclaim();
    struct kmalloc_usage u = kmalloc_usage();
    if (kv->nlive != 0 || kv->nheld != 0 || u.objects != 0 || u.bytes != 0 ||
        nr_free_pages() != kv->start_free) {
        kfail("with everything freed and reclaimed: %zu pages still handed "
              "out, nr_free_pages() %zu of %zu, kmalloc_usage %zu objects, "
              "%zu bytes",
              kv->nheld, nr_free_pages(), kv->start_free, u.objects, u.bytes);
    }
}
