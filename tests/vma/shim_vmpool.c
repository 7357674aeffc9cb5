/*
 * shim_vmpool.c -- what kern/mm/vmm/vmpool.c needs from the kernel beyond
 * shim_vma.c, on the host: kmalloc on malloc, the loaded address space,
 * regions kept by kern/mm/vmm/vma.c (there are no page tables on the host:
 * mm_drop_region only counts the pages it would unmap), and probes that
 * are plain accesses (the metadata pages are real memory, see
 * shim_vmpool_init).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <pmm.h>
#include "../../libs/error.h" /* <error.h> would be the C library's */
#include <kmalloc.h>
#include <vmm.h>
#include <vm_probe.h>
#include "shim_vma.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

struct mm_struct *current_mm;
size_t shim_unmapped_pages;

void shim_vmpool_init(uintptr_t base, size_t len)
{
    void *want = (void *)base;
    void *got =
        mmap(want, len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (got != want) {
        fprintf(stderr, "shim_vmpool_init: cannot map %zu bytes at %p: %s\n",
                len, want, got == MAP_FAILED ? strerror(errno) : "elsewhere");
        exit(2);
    }
}

void *kmalloc(size_t size) { return size == 0 ? NULL : malloc(size); }

void kfree(void *ptr) { free(ptr); }

int vm_probe_write(uintptr_t addr, uint32_t val)
{
    *(volatile uint32_t *)addr = val;
    return 0;
}

int vm_probe_read(uintptr_t addr, uint32_t *val)
{
    *val = *(volatile uint32_t *)addr;
    return 0;
}

struct vma_struct *find_vma(struct mm_struct *mm, uintptr_t addr)
{
    return vma_set_find(&mm->vmas, addr);
}

int mm_add_region(struct mm_struct *mm, uintptr_t start, size_t len,
                  uint32_t flags)
{
    if (start % PGSIZE != 0 || len % PGSIZE != 0 || len == 0 ||
        start >= KERNBASE || len > KERNBASE - start) {
        return -E_INVAL;
    }
    return vma_set_insert(&mm->vmas, start, start + len, flags);
}

int mm_drop_region(struct mm_struct *mm, uintptr_t start)
{
    struct vma_struct *v = find_vma(mm, start);
    if (v == NULL || v->vm_start != start) {
        return -E_INVAL;
    }
    shim_unmapped_pages += (v->vm_end - v->vm_start) / PGSIZE;
    return vma_set_remove(&mm->vmas, start);
}
