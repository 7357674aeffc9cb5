/* view.c -- see view.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include <buddy_pmm.h>

static void fail_abort(const char *msg)
{
    fprintf(stderr, "view: %s\n", msg);
    abort();
}

void (*view_fail)(const char *msg) = fail_abort;

static void __attribute__((format(printf, 1, 2))) failf(const char *fmt, ...)
{
    static char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    view_fail(msg);
    abort(); /* view_fail must not return */
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        fprintf(stderr, "view: out of memory\n");
        exit(2);
    }
    return p;
}

unsigned order_of(size_t n)
{
    unsigned k = 0;
    while (k < 8 * sizeof(size_t) - 1 && ((size_t)1 << k) < n) {
        k++;
    }
    return k;
}

void view_init(struct view *v, enum pmm_rule rule, bool backing)
{
    v->rule = rule;
    v->backing = backing;
    v->st = xcalloc(npage, 1); /* VIEW_RESERVED == 0 */
    v->maycache = xcalloc(npage, 1);
    v->head = xcalloc(npage, 1);
    v->nfree = 0;
    v->nruns = 2;
    for (int r = 0; r < 2; r++) {
        memset(v->st + host_layout.region_start[r], VIEW_FREE,
               host_layout.region_len[r]);
        v->nfree += host_layout.region_len[r];
    }
}

void view_destroy(struct view *v)
{
    free(v->st);
    free(v->maycache);
    free(v->head);
    v->st = v->maycache = v->head = NULL;
}

/* next_run - the first free run at or after page @from, as [*start, *end);
 * false when there is none. */
static bool next_run(const struct view *v, size_t from, size_t *start,
                     size_t *end)
{
    const uint8_t *q =
        from < npage ? memchr(v->st + from, VIEW_FREE, npage - from) : NULL;
    if (q == NULL) {
        return false;
    }
    size_t e = *start = q - v->st;
    /* eight pages a word at a time (a plain load, where ASan checks one
     * byte per page), then the last few */
    const uint64_t all_free = 0x0101010101010101ull * VIEW_FREE;
    for (uint64_t w; e + 8 <= npage; e += 8) {
        memcpy(&w, v->st + e, 8);
        if (w != all_free) {
            break;
        }
    }
    while (e < npage && v->st[e] == VIEW_FREE) {
        e++;
    }
    *end = e;
    return true;
}

size_t view_first_fit(const struct view *v, size_t n)
{
    for (size_t s, e = 0; next_run(v, e, &s, &e);) {
        if (e - s >= n) {
            return s;
        }
    }
    return SIZE_MAX;
}

size_t view_best_fit(const struct view *v, size_t n)
{
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t s, e = 0; next_run(v, e, &s, &e);) {
        if (e - s >= n && (best_len == 0 || e - s < best_len)) {
            best = s;
            best_len = e - s;
        }
    }
    return best;
}

size_t view_largest_run(const struct view *v)
{
    size_t best = 0;
    for (size_t s, e = 0; next_run(v, e, &s, &e);) {
        best = e - s > best ? e - s : best;
    }
    return best;
}

/* lowest_aligned - the lowest naturally aligned run of 2^@order free
 * pages, with @uncached one none of whose pages buddy may have cached
 * (maycache); SIZE_MAX when there is none. */
static size_t lowest_aligned(const struct view *v, unsigned order,
                             bool uncached)
{
    if (order >= 8 * sizeof(size_t) - 1) {
        return SIZE_MAX;
    }
    size_t size = (size_t)1 << order;
    for (size_t s, e = 0; next_run(v, e, &s, &e);) {
        for (size_t b = (s + size - 1) & ~(size - 1); b + size <= e;
             b += size) {
            if (!uncached || memchr(v->maycache + b, 1, size) == NULL) {
                return b;
            }
        }
    }
    return SIZE_MAX;
}

size_t view_buddy_lowest(const struct view *v, unsigned order)
{
    return lowest_aligned(v, order, false);
}

bool view_buddy_order_fits(const struct view *v, unsigned order)
{
    return view_buddy_lowest(v, order) != SIZE_MAX;
}

/* check_null - alloc_pages(n) said nothing fits: the rule must agree. */
static void check_null(const struct view *v, size_t n)
{
    size_t at;
    switch (v->rule) {
    case RULE_FIRST_FIT:
    case RULE_BEST_FIT:
        if ((at = view_first_fit(v, n)) != SIZE_MAX) {
            failf("alloc_pages(%zu) returned NULL, but pages [%zu, %zu) are "
                  "free",
                  n, at, at + n);
        }
        break;
    case RULE_BUDDY:
        if (view_buddy_order_fits(v, order_of(n))) {
            failf("alloc_pages(%zu) returned NULL, but an aligned free block "
                  "of order %u exists: not coalesced?",
                  n, order_of(n));
        }
        break;
    }
}

/* check_placement - @ppn is where alloc_pages(n) put the block (all of it
 * free in the view): is that where the rule says? */
static void check_placement(const struct view *v, size_t n, size_t ppn)
{
    size_t want;
    switch (v->rule) {
    case RULE_FIRST_FIT:
        if ((want = view_first_fit(v, n)) != ppn) {
            failf("alloc_pages(%zu) returned ppn %zu; first fit is %zu", n, ppn,
                  want);
        }
        break;
    case RULE_BEST_FIT:
        if ((want = view_best_fit(v, n)) != ppn) {
            failf("alloc_pages(%zu) returned ppn %zu; best fit is %zu", n, ppn,
                  want);
        }
        break;
    case RULE_BUDDY:
        if ((ppn & (((size_t)1 << order_of(n)) - 1)) != 0) {
            failf("alloc_pages(%zu) returned ppn %zu, not aligned to 2^%u", n,
                  ppn, order_of(n));
        }
        if (v->head[ppn] != n &&
            (want = lowest_aligned(v, order_of(n), true)) < ppn) {
            failf("alloc_pages(%zu) returned ppn %zu, not a block freed as "
                  "%zu pages, but the free aligned 2^%u block at %zu is "
                  "lower and cannot be cached",
                  n, ppn, n, order_of(n), want);
        }
        break;
    }
}

void view_check_count(const struct view *v, const char *after)
{
    size_t have = nr_free_pages();
    if (have != v->nfree) {
        failf("after %s: nr_free_pages() is %zu, the view has %zu free", after,
              have, v->nfree);
    }
}

/* free_at - whether page @ppn is in the array and free in the view. */
static bool free_at(const struct view *v, size_t ppn)
{
    return ppn < npage && v->st[ppn] == VIEW_FREE;
}

/* note_cache - for RULE_BUDDY: pages [@ppn, @ppn + @n) were allocated
 * (@used) or freed: which of them buddy may now hold in a cache. */
static void note_cache(struct view *v, size_t ppn, size_t n, bool used)
{
    if (!used) {
        bool cacheable = n <= BUDDY_CACHE_SIZES &&
                         (ppn & (((size_t)1 << order_of(n)) - 1)) == 0;
        if (cacheable) {
            memset(v->maycache + ppn, 1, n);
            v->head[ppn] = n;
        }
        return;
    }
    memset(v->maycache + ppn, 0, n);
    size_t from = ppn < BUDDY_CACHE_SIZES ? 0 : ppn - BUDDY_CACHE_SIZES;
    for (size_t q = from; q < ppn + n; q++) { /* blocks cut by the alloc */
        if (v->head[q] != 0 && q + v->head[q] > ppn) {
            v->head[q] = 0;
        }
    }
}

void view_record(struct view *v, struct Page *p, size_t n, bool used)
{
    size_t ppn = p - pages;
    if (v->rule == RULE_BUDDY) {
        note_cache(v, ppn, n, used);
    }
    size_t touching = free_at(v, ppn - 1) + free_at(v, ppn + n);
    memset(v->st + ppn, used ? VIEW_USED : VIEW_FREE, n);
    v->nfree = used ? v->nfree - n : v->nfree + n;
    v->nruns = used ? v->nruns + touching - 1 : v->nruns + 1 - touching;
}

/* tag_of - what the view writes into live page @ppn. */
static uint64_t tag_of(size_t ppn) { return 0x5a5a5a5a00000000ull ^ ppn; }

struct Page *view_alloc(struct view *v, size_t n)
{
    struct Page *p = alloc_pages(n);
    if (p == NULL) {
        check_null(v, n);
        view_check_count(v, "a failed alloc");
        return NULL;
    }
    if (p < pages || p >= pages + npage || n > (size_t)(pages + npage - p)) {
        failf("alloc_pages(%zu) returned %p, outside the Page array", n,
              (void *)p);
    }
    size_t ppn = p - pages;
    for (size_t i = ppn; i < ppn + n; i++) {
        if (v->st[i] != VIEW_FREE || PageReserved(pages + i)) {
            failf("alloc_pages(%zu) returned [%zu, %zu), but page %zu is %s", n,
                  ppn, ppn + n, i,
                  v->st[i] == VIEW_USED ? "in a live block" : "reserved");
        }
    }
    check_placement(v, n, ppn);
    view_record(v, p, n, true);
    if (v->backing) {
        for (size_t i = 0; i < n; i++) {
            *(uint64_t *)page2kva(p + i) = tag_of(ppn + i);
        }
    }
    view_check_count(v, "an alloc");
    return p;
}

void view_free(struct view *v, struct Page *p, size_t n)
{
    size_t ppn = p - pages;
    for (size_t i = 0; i < n; i++) {
        if (v->st[ppn + i] != VIEW_USED) {
            failf("view_free: page %zu was not in a live block", ppn + i);
        }
        if (v->backing && *(uint64_t *)page2kva(p + i) != tag_of(ppn + i)) {
            failf("live page %zu (freeing [%zu, +%zu)) was written by someone "
                  "else",
                  ppn + i, ppn, n);
        }
    }
    free_pages(p, n);
    view_record(v, p, n, false);
    view_check_count(v, "a free");
}

/* largest_promised - the largest block the rule says must be allocatable
 * now, 0 when there is none. */
static size_t largest_promised(const struct view *v)
{
    if (v->rule != RULE_BUDDY) {
        return view_largest_run(v);
    }
    if (!view_buddy_order_fits(v, 0)) {
        return 0;
    }
    unsigned k = 0;
    while (view_buddy_order_fits(v, k + 1)) {
        k++;
    }
    return (size_t)1 << k;
}

void view_expect_whole(struct view *v)
{
    view_check_count(v, "everything was freed");
    if (v->nfree != host_layout.usable) {
        failf("everything was freed, but only %zu of %zu usable pages are "
              "free in the view",
              v->nfree, host_layout.usable);
    }
    struct Page *got[128];
    size_t len[128], count = 0;
    for (size_t n; (n = largest_promised(v)) > 0; count++) {
        if (count == 128 || (got[count] = view_alloc(v, n)) == NULL) {
            failf("with everything free, alloc_pages(%zu) failed or memory "
                  "came in more than 128 blocks: not coalesced",
                  n);
        }
        len[count] = n;
    }
    while (count > 0) {
        count--;
        view_free(v, got[count], len[count]);
    }
}

void blocks_init(struct blocks *b, size_t cap)
{
    b->p = xcalloc(cap, sizeof(*b->p));
    b->n = xcalloc(cap, sizeof(*b->n));
    b->count = 0;
    b->cap = cap;
}

void blocks_destroy(struct blocks *b)
{
    free(b->p);
    free(b->n);
    b->p = NULL;
    b->n = NULL;
    b->count = b->cap = 0;
}

void blocks_push(struct blocks *b, struct Page *p, size_t n)
{
    if (b->count == b->cap) {
        fprintf(stderr, "blocks_push: more than %zu live blocks\n", b->cap);
        abort();
    }
    b->p[b->count] = p;
    b->n[b->count++] = n;
}

void blocks_take(struct blocks *b, size_t i, struct Page **p, size_t *n)
{
    *p = b->p[i];
    *n = b->n[i];
    b->p[i] = b->p[--b->count];
    b->n[i] = b->n[b->count];
}
