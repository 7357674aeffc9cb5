/*
 * frame_hold.c -- hold a pool's free frames during a boot check
 * (frame_hold.h).  QEMU's RAM starts zeroed and frames freed by earlier
 * checks are mostly zero again, so a check that wants to see a missing
 * memset must hand the code under test frames it has dirtied itself.
 */
#include <defs.h>
#include <string.h>
#include <pmm.h>
#include <kmap.h>
#include <frame_hold.h>

/* pow2_floor - the largest power of two <= @n (n > 0). */
static size_t pow2_floor(size_t n)
{
    size_t p = 1;
    while (p <= n / 2) {
        p *= 2;
    }
    return p;
}

void hold_all(struct frame_hold *h, struct frame_pool *pool)
{
    *h = (struct frame_hold){.pool = pool};
    size_t n = pool_nr_free(pool);
    for (n = n > 0 ? pow2_floor(n) : 1; pool_nr_free(pool) > 0;) {
        struct Page *p = pool_alloc(pool, n);
        if (p == NULL) {
            assert(n > 1);
            n /= 2;
            continue;
        }
        assert(h->nchunks < HOLD_CHUNKS);
        h->base[h->nchunks] = p;
        h->n[h->nchunks++] = n;
        if (pool_nr_free(pool) > 0) {
            n = MIN(n, pow2_floor(pool_nr_free(pool)));
        }
    }
}

struct Page *hold_lowest(const struct frame_hold *h)
{
    struct Page *low = NULL;
    for (int i = 0; i < h->nchunks; i++) {
        if (low == NULL || h->base[i] < low) {
            low = h->base[i];
        }
    }
    return low;
}

/* is_lent - whether @h has lent @page already. */
static bool is_lent(const struct frame_hold *h, const struct Page *page)
{
    for (int i = 0; i < h->nlent; i++) {
        if (h->lent[i] == page) {
            return true;
        }
    }
    return false;
}

/* is_held - whether @page lies in one of @h's chunks. */
static bool is_held(const struct frame_hold *h, const struct Page *page)
{
    for (int i = 0; i < h->nchunks; i++) {
        if (page >= h->base[i] && page < h->base[i] + h->n[i]) {
            return true;
        }
    }
    return false;
}

void hold_lend_dirty(struct frame_hold *h, struct Page *page)
{
    if (!is_held(h, page) || is_lent(h, page) || h->nlent == HOLD_LENT) {
        panic("hold_lend_dirty: page %p (ppn %lx) is not held, is lent "
              "already, or %d are lent",
              page, (unsigned long)page2ppn(page), h->nlent);
    }
    void *va = kmap(page);
    memset(va, HOLD_JUNK, PGSIZE);
    kunmap(va);
    h->lent[h->nlent++] = page;
    free_page(page);
}

/* next_lent - the lowest lent page in [@from, @end), or @end. */
static struct Page *next_lent(const struct frame_hold *h, struct Page *from,
                              struct Page *end)
{
    struct Page *next = end;
    for (int i = 0; i < h->nlent; i++) {
        if (h->lent[i] >= from && h->lent[i] < next) {
            next = h->lent[i];
        }
    }
    return next;
}

void hold_release(struct frame_hold *h)
{
    for (int i = 0; i < h->nchunks; i++) {
        struct Page *end = h->base[i] + h->n[i];
        for (struct Page *p = h->base[i]; p < end;) {
            struct Page *cut = next_lent(h, p, end);
            if (cut > p) {
                free_pages(p, cut - p);
            }
            p = cut + 1;
        }
    }
    h->nchunks = h->nlent = 0;
}
