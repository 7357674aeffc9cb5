/*
 * kmalloc.c -- small kernel objects on top of the page allocator, in the
 * manner of SLUB.
 *
 * A request of up to TOP_CLASS bytes is rounded up to a size class (8, 16,
 * ..., 1024 bytes, and TOP_CLASS, just under half a page) and served by
 * that class's cache.  A cache owns slabs: single pages cut into equal
 * objects from offset 0, with the slab's header (struct slab) in the last
 * bytes of the page, so a power-of-two object is aligned to its size.  The
 * free objects of a slab form a list threaded through their first word; a
 * bitmap of handed-out objects in the header catches double frees.  Each
 * cache files its slabs on three lists: partial (allocations come from
 * here first; a slab that gets an object back moves to its front, so the
 * object freed last is handed out next), full and empty.  Empty slabs
 * beyond SLAB_RESERVE per cache go back to the page allocator.  (A
 * 2048-byte class would fit only one object beside the header, so the top
 * class is the largest size two of which fit: 2000 bytes on i386.)
 *
 * A larger request takes whole pages from alloc_pages.  Which pages
 * kmalloc owns, and as what, is kept in bitmaps indexed by page number, so
 * kfree tells a pointer it handed out from any other without trusting the
 * memory it points at.
 *
 * kmalloc and kfree of a slab object are O(1) plus, when a slab page is
 * taken or given back, one page-allocator call; a large allocation costs
 * one page-allocator call and O(pages).  The caches are not locked: do not
 * call kmalloc or kfree from an interrupt handler.
 */
#include <pmm.h>
#include <bitmap.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <kmalloc.h>

#define KMALLOC_ALIGN 8 /* every object's alignment, and the smallest size */
#define NR_CLASSES    9 /* 8 << 0 .. 8 << 7, then TOP_CLASS */
#define SLAB_RESERVE  1 /* empty slabs a cache keeps */
#define SLAB_MAGIC    0x51ab0bec
#define MAX_OBJECTS   (PGSIZE / KMALLOC_ALIGN)
#define KM_MAX_PAGES  (KMEMSIZE / PGSIZE) /* bounds every direct-mapped ppn */

struct kmem_cache;

/* slab - the header in the last bytes of a slab page. */
struct slab {
    list_entry_t link;        /* on its cache's partial, full or empty list */
    struct kmem_cache *cache; /* the size class it belongs to */
    void *free;               /* first free object; each holds the next */
    uint32_t inuse;           /* objects handed out */
    uint32_t magic;           /* SLAB_MAGIC while the page is a slab */
    uint32_t used[MAX_OBJECTS / 32]; /* bit i set: object i is handed out */
};

#define OBJECT_SPACE (PGSIZE - sizeof(struct slab))
#define TOP_CLASS    ((OBJECT_SPACE / 2) & ~(size_t)(KMALLOC_ALIGN - 1))

static_assert(TOP_CLASS > (KMALLOC_ALIGN << (NR_CLASSES - 2)));

/* kmem_cache - the slabs of one size class. */
struct kmem_cache {
    size_t size;       /* bytes per object */
    uint32_t capacity; /* objects per slab */
    uint32_t nr_empty; /* slabs on the empty list */
    list_entry_t partial, full, empty;
};

static struct kmem_cache caches[NR_CLASSES];
static bool ready;
static struct kmalloc_usage usage; /* live objects and their bytes */
static uint32_t slab_pages[KM_MAX_PAGES / 32];  /* pages that are slabs */
static uint32_t large_pages[KM_MAX_PAGES / 32]; /* pages of large objects */
static uint32_t large_heads[KM_MAX_PAGES / 32]; /* their first pages */

static size_t class_size(int k)
{
    return k < NR_CLASSES - 1 ? (size_t)KMALLOC_ALIGN << k : TOP_CLASS;
}

void kmalloc_init(void)
{
    for (int k = 0; k < NR_CLASSES; k++) {
        struct kmem_cache *c = &caches[k];
        c->size = class_size(k);
        c->capacity = OBJECT_SPACE / c->size;
        c->nr_empty = 0;
        list_init(&c->partial);
        list_init(&c->full);
        list_init(&c->empty);
    }
    memset(slab_pages, 0, sizeof(slab_pages));
    memset(large_pages, 0, sizeof(large_pages));
    memset(large_heads, 0, sizeof(large_heads));
    usage = (struct kmalloc_usage){0};
    ready = true;
}

/* slab_base - the start of the page holding @ptr. */
static char *slab_base(const void *ptr)
{
    return (char *)ROUNDDOWN((uintptr_t)ptr, PGSIZE);
}

static struct slab *slab_header(const void *ptr)
{
    return (struct slab *)(slab_base(ptr) + OBJECT_SPACE);
}

/* new_slab - a fresh slab for @c on its empty list, or NULL when the page
 * allocator has no page. */
static struct slab *new_slab(struct kmem_cache *c)
{
    struct Page *page = alloc_page();
    if (page == NULL) {
        return NULL;
    }
    char *base = page2kva(page);
    struct slab *s = slab_header(base);
    memset(s, 0, sizeof(*s));
    s->cache = c;
    s->magic = SLAB_MAGIC;
    for (uint32_t i = c->capacity; i-- > 0;) { /* lowest object first */
        void **obj = (void **)(base + i * c->size);
        *obj = s->free;
        s->free = obj;
    }
    bitmap_assign(slab_pages, page2ppn(page), true);
    list_add(&c->empty, &s->link);
    c->nr_empty++;
    return s;
}

/* slab_list - the list of @c for a slab with @inuse objects handed out. */
static list_entry_t *slab_list(struct kmem_cache *c, uint32_t inuse)
{
    if (inuse == 0) {
        return &c->empty;
    }
    return inuse == c->capacity ? &c->full : &c->partial;
}

/* refile - move @s to the front of the list its inuse count calls for,
 * after the count changed from @before. */
static void refile(struct kmem_cache *c, struct slab *s, uint32_t before)
{
    list_entry_t *from = slab_list(c, before), *to = slab_list(c, s->inuse);
    list_del(&s->link);
    list_add(to, &s->link);
    if (from != to && from == &c->empty) {
        c->nr_empty--;
    } else if (from != to && to == &c->empty) {
        c->nr_empty++;
    }
}

/* shrink - give the pages of @c's empty slabs beyond @keep back to the
 * page allocator. */
static void shrink(struct kmem_cache *c, uint32_t keep)
{
    while (c->nr_empty > keep) {
        struct slab *s = to_struct(list_prev(&c->empty), struct slab, link);
        list_del(&s->link);
        c->nr_empty--;
        s->magic = 0;
        struct Page *page = kva2page(slab_base(s));
        bitmap_assign(slab_pages, page2ppn(page), false);
        free_page(page);
    }
}

static void *slab_alloc(struct kmem_cache *c)
{
    struct slab *s;
    if (!list_empty(&c->partial)) {
        s = to_struct(list_next(&c->partial), struct slab, link);
    } else if (!list_empty(&c->empty)) {
        s = to_struct(list_next(&c->empty), struct slab, link);
    } else if ((s = new_slab(c)) == NULL) {
        return NULL;
    }
    void **obj = s->free;
    s->free = *obj;
    bitmap_assign(s->used, ((char *)obj - slab_base(obj)) / c->size, true);
    s->inuse++;
    refile(c, s, s->inuse - 1);
    return obj;
}

/* large_alloc - whole pages for @size bytes, recorded as one large object;
 * NULL when the page allocator cannot supply them. */
static void *large_alloc(size_t size)
{
    size_t n = size / PGSIZE + (size % PGSIZE != 0);
    struct Page *page = alloc_pages(n);
    if (page == NULL) {
        return NULL;
    }
    size_t ppn = page2ppn(page);
    bitmap_assign(large_heads, ppn, true);
    bitmap_assign_range(large_pages, ppn, n, true);
    return page2kva(page);
}

void *kmalloc(size_t size)
{
    if (!ready) {
        panic("kmalloc: called before kmalloc_init");
    }
    if (size == 0) {
        return NULL;
    }
    size_t bytes = ROUNDUP(size, PGSIZE);
    void *obj = NULL;
    if (size > TOP_CLASS) {
        obj = large_alloc(size);
    } else {
        int k = 0;
        while (caches[k].size < size) {
            k++;
        }
        bytes = caches[k].size;
        obj = slab_alloc(&caches[k]);
    }
    if (obj != NULL) {
        usage.objects++;
        usage.bytes += bytes;
    }
    return obj;
}

struct kmalloc_usage kmalloc_usage(void) { return usage; }

void kmalloc_reclaim(void)
{
    for (int k = 0; k < NR_CLASSES; k++) {
        shrink(&caches[k], 0);
    }
}

/* slab_free - return @ptr, which lies in a slab page, to its slab. */
static void slab_free(void *ptr)
{
    struct slab *s = slab_header(ptr);
    if (s->magic != SLAB_MAGIC) {
        panic("kfree: %p: the header of its slab page is corrupted (magic "
              "%08lx)",
              ptr, (unsigned long)s->magic);
    }
    struct kmem_cache *c = s->cache;
    size_t offset = (char *)ptr - slab_base(ptr), i = offset / c->size;
    if (offset % c->size != 0 || i >= c->capacity) {
        panic("kfree: %p is not allocated by kmalloc: it is not the start of "
              "a %lu-byte object of its slab",
              ptr, (unsigned long)c->size);
    }
    if (!bitmap_test(s->used, i)) {
        panic("kfree: %p: double free (the %lu-byte object is already free)",
              ptr, (unsigned long)c->size);
    }
    bitmap_assign(s->used, i, false);
    usage.objects--;
    usage.bytes -= c->size;
    *(void **)ptr = s->free;
    s->free = ptr;
    s->inuse--;
    refile(c, s, s->inuse + 1);
    shrink(c, SLAB_RESERVE);
}

/* large_free - give back the large object whose first page is @ppn: its
 * pages run up to the next head, the first page that is not a large
 * object's, or the end of the maps (KM_MAX_PAGES, which bounds every
 * direct-mapped frame whatever npage is). */
static void large_free(size_t ppn)
{
    size_t n = 0;
    do {
        bitmap_assign(large_pages, ppn + n, false);
        n++;
    } while (ppn + n < KM_MAX_PAGES && bitmap_test(large_pages, ppn + n) &&
             !bitmap_test(large_heads, ppn + n));
    bitmap_assign(large_heads, ppn, false);
    usage.objects--;
    usage.bytes -= n * PGSIZE;
    free_pages(pages + ppn, n);
}

void kfree(void *ptr)
{
    if (ptr == NULL) {
        return;
    }
    /* kmalloc's pages all come from the kernel pool, below npage_direct:
     * anything else (a process-pool frame, VPT, a kmap slot, a stack) is
     * refused here, before kva2page could panic on it. */
    uintptr_t va = (uintptr_t)ptr;
    if (va < KERNBASE || va - KERNBASE >= npage_direct * PGSIZE) {
        panic("kfree: %p is not allocated by kmalloc: it is outside the "
              "direct map of the kernel pool [%08x, %08lx)",
              ptr, KERNBASE, (unsigned long)(KERNBASE + npage_direct * PGSIZE));
    }
    size_t ppn = page2ppn(kva2page(ptr));
    if (bitmap_test(slab_pages, ppn)) {
        slab_free(ptr);
    } else if (bitmap_test(large_heads, ppn) && PGOFF(va) == 0) {
        large_free(ppn);
    } else if (bitmap_test(large_pages, ppn)) {
        panic("kfree: %p is not allocated by kmalloc: it points inside a "
              "large object, not at its start",
              ptr);
    } else {
        panic("kfree: %p is not allocated by kmalloc, or was already freed "
              "(double free)",
              ptr);
    }
}

/* check_class - fill more than a slab's worth of objects of cache @k, at
 * both ends of its size range: each lies in a slab of @k at an object
 * boundary, is aligned, and keeps its own pattern once all are written
 * (no two overlap); then free them all. */
static void check_class(int k)
{
    struct kmem_cache *c = &caches[k];
    size_t smallest = k == 0 ? 1 : class_size(k - 1) + 1;
    size_t count = c->capacity + 1, link = sizeof(void *);
    void *chain = NULL;
    for (size_t i = 0; i < count; i++) {
        char *obj = kmalloc(i % 2 ? c->size : smallest);
        assert(obj != NULL && (uintptr_t)obj % KMALLOC_ALIGN == 0);
        assert(bitmap_test(slab_pages, page2ppn(kva2page(obj))));
        assert(slab_header(obj)->cache == c && PGOFF(obj) % c->size == 0);
        memset(obj + link, (int)(i & 0xff), c->size - link);
        *(void **)obj = chain;
        chain = obj;
    }
    for (size_t i = count; i-- > 0;) {
        char *obj = chain;
        assert(obj != NULL);
        for (size_t b = link; b < c->size; b++) {
            assert(obj[b] == (char)(i & 0xff));
        }
        chain = *(void **)obj;
        kfree(obj);
    }
    assert(chain == NULL);
}

/* check_reuse - an object freed from a slab that stays partial is the next
 * one handed out. */
static void check_reuse(void)
{
    void *chain = NULL, *last = NULL, *obj;
    for (;;) {
        obj = kmalloc(64);
        assert(obj != NULL);
        *(void **)obj = chain;
        chain = obj;
        if (last != NULL && slab_base(last) == slab_base(obj)) {
            break;
        }
        last = obj;
    }
    chain = *(void **)obj;
    kfree(obj); /* its slab still holds last */
    assert(kmalloc(64) == obj);
    *(void **)obj = chain;
    for (chain = obj; chain != NULL; chain = obj) {
        obj = *(void **)chain;
        kfree(chain);
    }
}

/* check_large - sizes above TOP_CLASS take whole, page-aligned pages that
 * come back on kfree; an impossible size fails cleanly. */
static void check_large(void)
{
    size_t before = nr_free_pages();
    char *one = kmalloc(TOP_CLASS + 1), *four = kmalloc(3 * PGSIZE + 5);
    assert(one != NULL && four != NULL && PGOFF(one) == 0 && PGOFF(four) == 0);
    assert(nr_free_pages() == before - 5);
    assert(one + PGSIZE <= four || four + 4 * PGSIZE <= one);
    memset(four, 0xa5, 4 * PGSIZE);
    memset(one, 0x5a, PGSIZE);
    assert(four[0] == (char)0xa5 && four[4 * PGSIZE - 1] == (char)0xa5);
    kfree(four);
    assert(nr_free_pages() == before - 1);
    kfree(one);
    assert(nr_free_pages() == before);
    assert(kmalloc((size_t)-1) == NULL && nr_free_pages() == before);
}

void check_slab(void)
{
    assert(ready && kmalloc(0) == NULL);
    kfree(NULL);
    for (int k = 0; k < NR_CLASSES; k++) {
        shrink(&caches[k], 0);
    }
    size_t before = nr_free_pages();
    for (int k = 0; k < NR_CLASSES; k++) {
        check_class(k);
    }
    check_reuse();
    check_large();
    for (int k = 0; k < NR_CLASSES; k++) {
        assert(caches[k].nr_empty <= SLAB_RESERVE);
        shrink(&caches[k], 0);
    }
    assert(nr_free_pages() == before);
    cprintf("check_slab() succeeded!\n");
}
