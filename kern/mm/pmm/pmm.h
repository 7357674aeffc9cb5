/* pmm.h -- the physical memory manager: page frames, the pluggable
 * allocator table, and the two-level page-table layer. */
#ifndef KERN_MM_PMM_H
#define KERN_MM_PMM_H

#include <defs.h>
#include <mmu.h>
#include <memlayout.h>
#include <assert.h>

/* struct pmm_state - one instance of a manager (its free lists, maps and
 * counters).  Incomplete here: each manager that runs per pool defines it
 * in its own file, and only that file looks inside. */
struct pmm_state;

/*
 * struct pmm_pool_ops - a manager written for this kernel runs any number of
 * instances: each frame pool is one, and a self-check builds private ones.
 * The pool layer sets aside state_size() bytes for each instance at boot
 * (sized from the frames it covers, in direct-mapped memory) and passes
 * them to every call.  Calls come with interrupts off.
 * @state_size:    bytes of state for an instance covering @nframes frames
 * @init:          make @st an empty instance for the frames [@base,
 *                 @base + @nframes); no frame is free yet
 * @init_memmap:   give the instance the @n free frames from @base, each
 *                 PageReserved (the manager takes them over: clears their
 *                 flags and reference counts)
 * @alloc_pages:   @n contiguous frames, or NULL when none fit (state
 *                 unchanged)
 * @free_pages:    take back @n frames from @base (already validated by the
 *                 front end: n > 0, in the pool, not reserved, not
 *                 mapped); must detect a double free it can see and panic
 *                 naming the page
 * @nr_free_pages: frames currently free in @st
 * @show_free:     optional (NULL): print the free blocks, one line each as
 *                 "  [ppn first, ppn last] n pages"
 * @check:         optional (NULL): the manager's self-test on private
 *                 instances in @scratch (state_size(@n) bytes) over the
 *                 frames [@frames, @frames + @n), each PageReserved; it
 *                 panics on failure and leaves no instance behind
 */
struct pmm_pool_ops {
    size_t (*state_size)(size_t nframes);
    void (*init)(struct pmm_state *st, struct Page *base, size_t nframes);
    void (*init_memmap)(struct pmm_state *st, struct Page *base, size_t n);
    struct Page *(*alloc_pages)(struct pmm_state *st, size_t n);
    void (*free_pages)(struct pmm_state *st, struct Page *base, size_t n);
    size_t (*nr_free_pages)(const struct pmm_state *st);
    void (*show_free)(const struct pmm_state *st);
    void (*check)(struct pmm_state *scratch, struct Page *frames, size_t n);
};

/*
 * struct pmm_manager - a physical page allocator, selected at build time
 * (PMM=NAME links kern/mm/alloc/NAME_pmm.c and its NAME_pmm_manager).
 * A manager fills one of two sets of members:
 *
 * - ucore Lab 2's (the handout's): init .. check, with the free list in
 *   the manager's own globals.  Such a manager has exactly one instance;
 *   it runs the kernel pool, the pool alloc_page() and nr_free_pages()
 *   use, so its check() may call them as the handout's does.  The process
 *   pool then runs the kernel's first-fit (list_first_fit_manager).
 *   init_memmap receives PageReserved pages, as the handout asserts.
 * - this kernel's: .pool (struct pmm_pool_ops), one instance per pool.
 *
 * @name is printed in the boot banner either way.
 */
struct pmm_manager {
    const char *name;
    void (*init)(void);
    void (*init_memmap)(struct Page *base, size_t n);
    struct Page *(*alloc_pages)(size_t n);
    void (*free_pages)(struct Page *base, size_t n);
    size_t (*nr_free_pages)(void);
    void (*check)(void);
    struct pmm_pool_ops pool;
};

/* pmm_per_pool - whether @m runs one instance per pool (fills .pool). */
static inline bool pmm_per_pool(const struct pmm_manager *m)
{
    return m->pool.alloc_pages != NULL;
}

extern const struct pmm_manager *const pmm_manager; /* PMM=; pool.c */
extern pde_t *boot_pgdir;
extern uintptr_t boot_cr3;
extern struct e820map *const e820; /* as the boot loader left it */
extern struct Page *pages;  /* the Page array: one per frame below maxpa */
extern size_t npage;        /* entries in pages[] */
extern size_t npage_direct; /* frames below it are direct-mapped (pool.c) */

void pmm_init(void);

struct Page *alloc_pages(size_t n);
void free_pages(struct Page *base, size_t n);
size_t nr_free_pages(void);

#define alloc_page()    alloc_pages(1)
#define free_page(page) free_pages(page, 1)

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

/* page_in_array - whether @page is an element of pages[] (inside it, and
 * on an element boundary). */
static inline bool page_in_array(const struct Page *page)
{
    uintptr_t off = (uintptr_t)page - (uintptr_t)pages;
    return page >= pages && page < pages + npage &&
           off % sizeof(struct Page) == 0;
}

/* page2ppn - the physical page number of @page; panics if @page is not an
 * element of pages[]. */
static inline ppn_t page2ppn(struct Page *page)
{
    if (!page_in_array(page)) {
        panic("page2ppn: %p is not an element of the Page array [%p, %p)", page,
              pages, pages + npage);
    }
    return page - pages;
}

/* page2pa - the physical address of @page's frame. */
static inline uintptr_t page2pa(struct Page *page)
{
    return page2ppn(page) << PGSHIFT;
}

/* pa2page - the Page of physical address @pa; panics past the last frame. */
static inline struct Page *pa2page(uintptr_t pa)
{
    if (PPN(pa) >= npage) {
        panic("pa2page: pa %08lx is past the last managed frame (npage %lu)",
              (unsigned long)pa, (unsigned long)npage);
    }
    return &pages[PPN(pa)];
}

/* PADDR - the physical address of a kernel virtual address in the direct
 * map [KERNBASE, KERNTOP); panics on any other address. */
#define PADDR(kva) __paddr(__FILE__, __LINE__, (const void *)(kva))
static inline uintptr_t __paddr(const char *file, int line, const void *kva)
{
    uintptr_t a = (uintptr_t)kva;
    if (a < KERNBASE || a >= KERNTOP) {
        __panic(file, line, "PADDR: %p is outside the direct map [%08x, %08x)",
                kva, KERNBASE, KERNTOP);
    }
    return a - KERNBASE;
}

/* KADDR - the direct-map kernel virtual address of physical address @pa;
 * panics when @pa is past the last managed frame, or is a process-pool
 * frame (those are reached with kmap, never through the direct map). */
#define KADDR(pa) __kaddr(__FILE__, __LINE__, (uintptr_t)(pa))
static inline void *__kaddr(const char *file, int line, uintptr_t pa)
{
    if (pa >= KMEMSIZE || PPN(pa) >= npage) {
        __panic(file, line, "KADDR: pa %08lx is outside managed memory",
                (unsigned long)pa);
    }
    if (PPN(pa) >= npage_direct) {
        __panic(file, line,
                "KADDR: pa %08lx is a process-pool frame, not "
                "direct-mapped (use kmap)",
                (unsigned long)pa);
    }
    return (void *)(pa + KERNBASE);
}

static inline void *page2kva(struct Page *page) { return KADDR(page2pa(page)); }

static inline struct Page *kva2page(void *kva) { return pa2page(PADDR(kva)); }

/* pte2page - the Page a present PTE points to. */
static inline struct Page *pte2page(pte_t pte)
{
    if (!(pte & PTE_P)) {
        panic("pte2page: pte %08lx is not present", (unsigned long)pte);
    }
    return pa2page(PTE_ADDR(pte));
}

static inline struct Page *pde2page(pde_t pde)
{
    return pa2page(PDE_ADDR(pde));
}

static inline int page_ref(struct Page *page) { return page->ref; }
static inline void set_page_ref(struct Page *page, int val) { page->ref = val; }
static inline int page_ref_inc(struct Page *page) { return ++page->ref; }
static inline int page_ref_dec(struct Page *page) { return --page->ref; }

extern char bootstack[], bootstacktop[];

#endif /* !KERN_MM_PMM_H */
