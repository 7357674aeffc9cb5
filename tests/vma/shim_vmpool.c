/*
 * shim_vmpool.c -- what kern/mm/vmm/vmpool.c and kern/mm/vmm/mm_region.c
 * need from the kernel beyond shim_vma.c, on the host: kmalloc on malloc
 * (counting live objects),
 * the loaded address space, mm_unmap_range (there are no page tables on
 * the host: it only counts the pages it would unmap), and probes that are
 * plain accesses (the metadata pages are real memory, see
 * shim_vmpool_init).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <pmm.h>
#include <kmalloc.h>
#include <vmm.h>
#include <vm_probe.h>
#include "shim_vma.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

struct mm_struct *current_mm;
size_t shim_unmapped_pages;
long shim_kmalloc_live;

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

void *kmalloc(size_t size)
{
    void *p = size == 0 ? NULL : malloc(size);
    shim_kmalloc_live += p != NULL;
    return p;
}

void kfree(void *ptr)
{
    shim_kmalloc_live -= ptr != NULL;
    free(ptr);
}

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

void mm_unmap_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
    (void)mm;
    if (start % PGSIZE != 0 || end % PGSIZE != 0 || start >= end) {
        panic("mm_unmap_range: [%08lx, %08lx) is not a page range",
              (unsigned long)start, (unsigned long)end);
    }
    shim_unmapped_pages += (end - start) / PGSIZE;
}
