/*
 * kview.h -- the harness's own picture of kmalloc: the live objects (an
 * addrset, ordered by address) and the pages the page allocator has handed
 * out (seen through host_page_observer), and the checks that hold kmalloc
 * to its contract (kern/mm/pmm/kmalloc.h) after every call.
 *
 * After kmalloc(size): NULL exactly for size 0, or (changing nothing: the
 * free page count, the pages handed out, kmalloc_usage) when memory is
 * short -- for a request of at most a page only when no page is free;
 * otherwise an object aligned to 8, to its size for a power of two up to
 * 1024, to a page above PGSIZE / 2 (the largest size class lies below it),
 * inside one page when at most PGSIZE / 2 (slabs are single pages), lying
 * wholly in pages the page allocator has handed out, sharing no byte with
 * another live object; kmalloc took exactly its pages for an object above
 * PGSIZE / 2, at most one (a new slab) for a smaller one.  It is then
 * filled with a pattern of its own.  Before kfree: the pattern is intact;
 * kfree gives back exactly the object's pages, or at most one (an empty
 * slab).  Whenever the page allocator hands pages out they were not handed
 * out already; whenever it takes them back they were handed out and hold
 * no live object.  After every call kmalloc_usage().objects is the live
 * count, its bytes between the bytes asked for and the pages held, and
 * nr_free_pages() the count at kview_init less the pages handed out since.
 *
 * Under ASan the pages not handed out are poisoned, so kmalloc touching a
 * page it does not hold (one it gave back, or past a large object) is
 * reported where it happens.  A failed check prints and aborts.
 */
#ifndef TESTS_HOST_KVIEW_H
#define TESTS_HOST_KVIEW_H

#include <stdint.h>

#include "addrset.h"
#include "shim.h"

struct kview {
    struct addrset set;    /* live objects: start, requested size, tag */
    int32_t *live;         /* ids in set, for picking one at random */
    size_t nlive, cap;     /* live objects; room in live[] */
    uint8_t *held;         /* per page: handed out by the page allocator */
    size_t nheld;          /* pages handed out */
    size_t start_free;     /* nr_free_pages() at kview_init */
    uint64_t requested;    /* bytes the live objects asked for */
    uint64_t calls, nulls; /* kmalloc and kfree calls; kmalloc NULLs */
    uint32_t next_tag;
};

/*
 * kview_init - start watching kmalloc on the memory host_setup() made
 * (with HOST_BACKING), after kmalloc_init(), with no page handed out yet.
 * Installs host_page_observer; one kview at a time.
 */
void kview_init(struct kview *kv);

/* kview_destroy - stop watching (the observer is removed, poisoning undone);
 * live objects are forgotten, not freed. */
void kview_destroy(struct kview *kv);

/* kview_alloc - kmalloc(@size), checked and, when not NULL, recorded and
 * filled; returns what kmalloc returned. */
void *kview_alloc(struct kview *kv, size_t size);

/* kview_free - kfree the live object @i (0 <= @i < nlive), its pattern
 * checked first; the last one takes its index. */
void kview_free(struct kview *kv, size_t i);

/* kview_free_all - kview_free every live object, newest first. */
void kview_free_all(struct kview *kv);

/* kview_check_patterns - every live object's pattern is intact. */
void kview_check_patterns(const struct kview *kv);

/* kview_expect_empty - with no object live, kmalloc_reclaim() must give
 * every page back: none handed out, nr_free_pages() as at kview_init,
 * kmalloc_usage() zero. */
void kview_expect_empty(struct kview *kv);

#endif /* !TESTS_HOST_KVIEW_H */
