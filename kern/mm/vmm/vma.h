/* vma.h -- regions of an address space, kept in a sorted array so that
 * find_vma is a binary search.  vma.c is plain C (no x86.h): it compiles
 * unchanged into the host benchmark. */
#ifndef KERN_MM_VMA_H
#define KERN_MM_VMA_H

#include <defs.h>

/* Region permissions (vm_flags). */
#define VM_READ  0x1
#define VM_WRITE 0x2
#define VM_EXEC  0x4  /* recorded; i386 without PAE cannot forbid execution */
#define VM_USER  0x8  /* user mode may touch it (PTE_U) */
#define VM_STACK 0x10 /* a stack: grows down on demand (mm_stack.c) */

struct Page;

/* struct vma_struct - one region [vm_start, vm_end) with vm_flags. */
struct vma_struct {
    uintptr_t vm_start;
    uintptr_t vm_end;
    uint32_t vm_flags;
};

/*
 * struct vma_set - disjoint regions sorted by address.
 * @v:     the array (in @store, kernel-pool pages), NULL while empty
 * @n:     regions in use
 * @cap:   regions that fit in @store (grows by doubling)
 * @store: the first of @store_pages contiguous kernel-pool pages
 */
struct vma_set {
    struct vma_struct *v;
    size_t n, cap;
    struct Page *store;
    size_t store_pages;
};

/* vma_set_init - an empty set (no storage yet). */
void vma_set_init(struct vma_set *set);

/**
 * vma_set_insert - add [start, end) with @flags.  Returns 0; -E_INVAL when
 * the range is empty or overlaps a region; -E_NO_MEM (with a message) when
 * the storage cannot grow.  Pointers into the set are invalid afterwards.
 */
int vma_set_insert(struct vma_set *set, uintptr_t start, uintptr_t end,
                   uint32_t flags);

/* vma_set_find - the region containing @addr, or NULL: O(log n). */
struct vma_struct *vma_set_find(const struct vma_set *set, uintptr_t addr);

/* vma_set_next - the first region ending above @addr (the one containing
 * it, else the next one up), or NULL: O(log n). */
struct vma_struct *vma_set_next(const struct vma_set *set, uintptr_t addr);

/* vma_set_grow_down - move the start of @vma, a region of @set, down to
 * @start.  Returns 0, or -E_INVAL when @start is not below its start or
 * the grown region would overlap the region under it.  No storage moves:
 * pointers into the set stay valid. */
int vma_set_grow_down(struct vma_set *set, struct vma_struct *vma,
                      uintptr_t start);

/* vma_set_remove - drop the region that starts at @start.  Returns 0, or
 * -E_INVAL when no region starts there. */
int vma_set_remove(struct vma_set *set, uintptr_t start);

/* vma_set_resize - move the end of the region that starts at @start to
 * @end.  Returns 0, or -E_INVAL when no region starts there, @end is not
 * above @start, or the region would overlap the next one. */
int vma_set_resize(struct vma_set *set, uintptr_t start, uintptr_t end);

/* vma_set_destroy - return the storage; the set is empty afterwards. */
void vma_set_destroy(struct vma_set *set);

/* vma_set_check - panic unless the set is sorted, disjoint and non-empty
 * regions only, with n <= cap. */
void vma_set_check(const struct vma_set *set);

#endif /* !KERN_MM_VMA_H */
