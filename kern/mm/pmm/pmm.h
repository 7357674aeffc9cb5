/* pmm.h -- the physical memory manager, ucore's header: everything a Lab 2
 * file needs in one include.  The pieces, bottom up: the Page array and
 * its converters (memmap.h), the allocator contract (pmm_manager.h), the
 * frame pools and the alloc_pages front ends (pool.h), and here
 * pmm_init and the two-level page-table layer (pmm.c). */
#ifndef KERN_MM_PMM_H
#define KERN_MM_PMM_H

#include <defs.h>
#include <mmu.h>
#include <memlayout.h>
#include <assert.h>
#include <memmap.h>
#include <pmm_manager.h>
#include <pool.h>

extern pde_t *boot_pgdir;
extern uintptr_t boot_cr3;

void pmm_init(void);

pte_t *get_pte(pde_t *pgdir, uintptr_t la, bool create);
void put_pte(pte_t *ptep);
struct Page *get_page(pde_t *pgdir, uintptr_t la, pte_t **ptep_store);
void page_remove(pde_t *pgdir, uintptr_t la);
void page_remove_pte(pde_t *pgdir, uintptr_t la, pte_t *ptep);
int page_insert(pde_t *pgdir, struct Page *page, uintptr_t la, uint32_t perm);
void tlb_invalidate(pde_t *pgdir, uintptr_t la);
void print_pgdir(void);
void print_free_blocks(void);
void print_memmap(void);
void print_e820(void);

#endif /* !KERN_MM_PMM_H */
