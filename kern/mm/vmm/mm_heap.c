/*
 * mm_heap.c -- the heap of an address space (ucore's brk): one region
 * [brk_start, brk) that starts empty after the program's bss and whose
 * end brk moves a page at a time.  Growth only changes the bookkeeping
 * (the pages fill lazily, zeroed, in do_pgfault); shrinking unmaps the
 * pages above the new end and frees the page tables left empty.  The
 * heap stays below UHEAPTOP (libs/unistd.h: where the mmap pool starts)
 * and never grows into another region or a claim.
 */
#include <defs.h>
#include <error.h>
#include <unistd.h>
#include <pmm.h>
#include <vmm.h>

#define HEAP_FLAGS (VM_READ | VM_WRITE | VM_USER)

void mm_heap_init(struct mm_struct *mm, uintptr_t end)
{
    mm->brk_start = mm->brk = ROUNDUP(end, PGSIZE);
}

/* heap_grow - extend the heap to @end (> brk): 0, or -E_INVAL when
 * [brk, end) is past UHEAPTOP or meets a region or a claim, or -E_NO_MEM. */
static int heap_grow(struct mm_struct *mm, uintptr_t end)
{
    struct vma_struct *next = vma_set_next(&mm->vmas, mm->brk);
    if (end > UHEAPTOP || (next != NULL && next->vm_start < end) ||
        mm_claim_find(mm, mm->brk, end) != NULL) {
        return -E_INVAL;
    }
    if (mm->brk == mm->brk_start) {
        return vma_set_insert(&mm->vmas, mm->brk_start, end, HEAP_FLAGS);
    }
    return vma_set_resize(&mm->vmas, mm->brk_start, end);
}

/* heap_shrink - cut the heap down to @end (< brk, >= brk_start): its pages
 * above @end go, with their frames and the page tables left empty. */
static void heap_shrink(struct mm_struct *mm, uintptr_t end)
{
    mm_unmap_range(mm, end, mm->brk);
    int ret = end == mm->brk_start
                  ? vma_set_remove(&mm->vmas, mm->brk_start)
                  : vma_set_resize(&mm->vmas, mm->brk_start, end);
    if (ret != 0) {
        panic("mm_brk: mm %p: the heap [%08x, %08x) is not a region", mm,
              mm->brk_start, mm->brk);
    }
}

uintptr_t mm_brk(struct mm_struct *mm, uintptr_t want)
{
    if (mm->brk_start == 0 || want < mm->brk_start || want > UHEAPTOP) {
        return mm->brk;
    }
    uintptr_t end = ROUNDUP(want, PGSIZE);
    if (end > mm->brk && heap_grow(mm, end) == 0) {
        mm->brk = end;
    } else if (end < mm->brk) {
        heap_shrink(mm, end);
        mm->brk = end;
    }
    return mm->brk;
}
