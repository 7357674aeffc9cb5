/*
 * mm_region.c -- the bookkeeping of an address space: its regions (a
 * vma_set, vma.c) and its claims, the ranges its clients own.  Nothing
 * here touches a page table: removing a region hands its pages to
 * mm_unmap_range (mm_pgtable.c), so this file compiles unchanged into the
 * host test of VMPools, whose shim supplies that one function.
 *
 * Why claims: a VMPool owns every address of its range, free ones
 * included, and mm_map / mm_unmap must keep out of it.  The address space
 * used to ask vmpool.c (and free the pools' handles through it), a lower
 * layer calling its client.  Now the pool registers its range as data the
 * address space owns, with a release callback for mm_destroy; a flag in
 * the pool's regions would not do, as a pool's free ranges are no regions.
 */
#include <defs.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <vmm.h>

void mm_regions_init(struct mm_struct *mm)
{
    vma_set_init(&mm->vmas);
    mm->claims = NULL;
    mm->brk_start = mm->brk = 0;
}

void mm_regions_destroy(struct mm_struct *mm)
{
    vma_set_destroy(&mm->vmas);
    while (mm->claims != NULL) {
        struct mm_claim *c = mm->claims;
        mm->claims = c->next;
        c->ops->release(c);
    }
}

int mm_claims_dup(struct mm_struct *to, const struct mm_struct *from)
{
    for (const struct mm_claim *c = from->claims; c != NULL; c = c->next) {
        struct mm_claim *copy = c->ops->dup(c, to);
        if (copy == NULL) {
            return -E_NO_MEM;
        }
        mm_claim_attach(to, copy);
    }
    return 0;
}

struct vma_struct *find_vma(struct mm_struct *mm, uintptr_t addr)
{
    return vma_set_find(&mm->vmas, addr);
}

struct mm_claim *mm_claim_find(struct mm_struct *mm, uintptr_t start,
                               uintptr_t end)
{
    for (struct mm_claim *c = mm->claims; c != NULL; c = c->next) {
        if (c->start < end && start < c->end) {
            return c;
        }
    }
    return NULL;
}

void mm_claim_attach(struct mm_struct *mm, struct mm_claim *claim)
{
    struct mm_claim *other = mm_claim_find(mm, claim->start, claim->end);
    if (claim->start >= claim->end || other != NULL) {
        panic("mm_claim_attach: mm %p: %s [%08lx, %08lx) is empty or overlaps "
              "a claim",
              mm, claim->ops->kind, (unsigned long)claim->start,
              (unsigned long)claim->end);
    }
    claim->next = mm->claims;
    mm->claims = claim;
}

/* range_ok - whether [start, start + len) is a non-empty, page-aligned
 * range below KERNBASE. */
static bool range_ok(uintptr_t start, size_t len)
{
    return PGOFF(start) == 0 && PGOFF(len) == 0 && len != 0 &&
           start < KERNBASE && len <= KERNBASE - start;
}

int mm_add_region(struct mm_struct *mm, uintptr_t start, size_t len,
                  uint32_t flags)
{
    if (!range_ok(start, len)) {
        return -E_INVAL;
    }
    return vma_set_insert(&mm->vmas, start, start + len, flags);
}

int mm_map(struct mm_struct *mm, uintptr_t start, size_t len, uint32_t flags)
{
    if (!range_ok(start, len)) {
        return -E_INVAL;
    }
    struct mm_claim *c = mm_claim_find(mm, start, start + len);
    if (c != NULL) {
        cprintf("mm_map: [%08x, %08x) overlaps the %s at %08x (its addresses "
                "are %s's)\n",
                start, start + len, c->ops->kind, c->start, c->ops->alloc_fn);
        return -E_INVAL;
    }
    return mm_add_region(mm, start, len, flags);
}

int mm_drop_region(struct mm_struct *mm, uintptr_t start)
{
    struct vma_struct *vma = find_vma(mm, start);
    if (vma == NULL || vma->vm_start != start) {
        return -E_INVAL;
    }
    mm_unmap_range(mm, start, vma->vm_end);
    return vma_set_remove(&mm->vmas, start);
}

int mm_unmap(struct mm_struct *mm, uintptr_t start)
{
    struct mm_claim *c = mm_claim_find(mm, start, start + 1);
    if (c != NULL) {
        cprintf("mm_unmap: %08x lies in the %s at %08x (%s gives its regions "
                "back)\n",
                start, c->ops->kind, c->start, c->ops->free_fn);
        return -E_INVAL;
    }
    return mm_drop_region(mm, start);
}
