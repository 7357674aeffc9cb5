/*
 * vma.c -- the region index of an address space: a sorted array of
 * vma_struct searched by bisection.  Lookups are O(log n); insertion and
 * removal move the tail of the array, O(n) in the worst case but a single
 * memmove, and appending in address order (the common case) is O(1)
 * amortised.  ucore keeps a sorted list with a one-entry cache, O(n) per
 * miss; tests/vma/bench_vma.c measures both.
 *
 * The array lives in contiguous kernel-pool pages and doubles when full,
 * so there is no fixed limit: growth fails only when the kernel pool
 * cannot supply twice the pages, and then the insert says so.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <vma.h>

void vma_set_init(struct vma_set *set) { *set = (struct vma_set){0}; }

/* upper_index - the number of regions whose vm_start is <= @addr, i.e.
 * the index of the first region starting above @addr.  The bisection
 * keeps base[0].vm_start <= addr and halves the candidates with a
 * conditional move, not a branch: random lookups mispredict nothing. */
static size_t upper_index(const struct vma_set *set, uintptr_t addr)
{
    if (set->n == 0 || set->v[0].vm_start > addr) {
        return 0;
    }
    const struct vma_struct *base = set->v;
    size_t n = set->n;
    while (n > 1) {
        size_t half = n / 2;
        base = base[half].vm_start <= addr ? base + half : base;
        n -= half;
    }
    return base - set->v + 1;
}

struct vma_struct *vma_set_find(const struct vma_set *set, uintptr_t addr)
{
    size_t i = upper_index(set, addr);
    if (i > 0 && addr < set->v[i - 1].vm_end) {
        return &set->v[i - 1];
    }
    return NULL;
}

struct vma_struct *vma_set_next(const struct vma_set *set, uintptr_t addr)
{
    size_t i = upper_index(set, addr);
    if (i > 0 && addr < set->v[i - 1].vm_end) {
        i--;
    }
    return i < set->n ? &set->v[i] : NULL;
}

/* grow - move the array to twice as many pages; -E_NO_MEM on failure
 * (the set is unchanged then). */
static int grow(struct vma_set *set)
{
    size_t npages = set->store_pages == 0 ? 1 : set->store_pages * 2;
    struct Page *store = alloc_pages(npages);
    if (store == NULL) {
        cprintf("vma_set_insert: no %lu contiguous kernel pages to grow the "
                "region array past %lu regions\n",
                (unsigned long)npages, (unsigned long)set->n);
        return -E_NO_MEM;
    }
    struct vma_struct *v = page2kva(store);
    if (set->n > 0) {
        memcpy(v, set->v, set->n * sizeof(*v));
    }
    if (set->store != NULL) {
        free_pages(set->store, set->store_pages);
    }
    set->v = v;
    set->store = store;
    set->store_pages = npages;
    set->cap = npages * PGSIZE / sizeof(*v);
    return 0;
}

int vma_set_insert(struct vma_set *set, uintptr_t start, uintptr_t end,
                   uint32_t flags)
{
    if (start >= end) {
        return -E_INVAL;
    }
    size_t i = upper_index(set, start);
    if ((i > 0 && set->v[i - 1].vm_end > start) ||
        (i < set->n && set->v[i].vm_start < end)) {
        return -E_INVAL;
    }
    if (set->n == set->cap && grow(set) != 0) {
        return -E_NO_MEM;
    }
    memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof(set->v[0]));
    set->v[i] = (struct vma_struct){start, end, flags};
    set->n++;
    return 0;
}

int vma_set_grow_down(struct vma_set *set, struct vma_struct *vma,
                      uintptr_t start)
{
    size_t i = vma - set->v;
    if (vma < set->v || i >= set->n || start >= vma->vm_start ||
        (i > 0 && set->v[i - 1].vm_end > start)) {
        return -E_INVAL;
    }
    vma->vm_start = start;
    return 0;
}

int vma_set_remove(struct vma_set *set, uintptr_t start)
{
    size_t i = upper_index(set, start);
    if (i == 0 || set->v[i - 1].vm_start != start) {
        return -E_INVAL;
    }
    i--;
    memmove(&set->v[i], &set->v[i + 1], (set->n - i - 1) * sizeof(set->v[0]));
    set->n--;
    return 0;
}

int vma_set_resize(struct vma_set *set, uintptr_t start, uintptr_t end)
{
    size_t i = upper_index(set, start);
    if (i == 0 || set->v[i - 1].vm_start != start || end <= start ||
        (i < set->n && set->v[i].vm_start < end)) {
        return -E_INVAL;
    }
    set->v[i - 1].vm_end = end;
    return 0;
}

void vma_set_destroy(struct vma_set *set)
{
    if (set->store != NULL) {
        free_pages(set->store, set->store_pages);
    }
    vma_set_init(set);
}

void vma_set_check(const struct vma_set *set)
{
    if (set->n > set->cap) {
        panic("vma_set_check: set %p holds %lu regions, room for %lu", set,
              (unsigned long)set->n, (unsigned long)set->cap);
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct vma_struct *v = &set->v[i];
        if (v->vm_start >= v->vm_end ||
            (i > 0 && set->v[i - 1].vm_end > v->vm_start)) {
            panic("vma_set_check: set %p: region %lu [%08lx, %08lx) is empty "
                  "or out of order",
                  set, (unsigned long)i, (unsigned long)v->vm_start,
                  (unsigned long)v->vm_end);
        }
    }
}
