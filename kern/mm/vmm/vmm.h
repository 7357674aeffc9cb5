/* vmm.h -- address spaces: a page directory plus its regions, lazily
 * backed by process-pool frames through the page-fault handler.  Three
 * files, bottom up: mm_pgtable.c (the page tables of an address space),
 * mm_region.c (its regions and claims: bookkeeping only, compiled
 * unchanged into the host test of VMPools) and vmm.c (create, switch,
 * destroy). */
#ifndef KERN_MM_VMM_H
#define KERN_MM_VMM_H

#include <defs.h>
#include <vma.h>

/*
 * struct mm_struct - one address space.
 * @pgdir:  its page directory (a kernel-pool page; the kernel half is the
 *          same as boot_pgdir's, the VPT entry points to itself)
 * @vmas:   its regions, sorted (find_vma is a binary search)
 * @claims: the ranges its clients own (VMPools), newest first
 * @mm_count: the processes using it (ucore's); its owner destroys it when
 *          mm_count_dec reaches 0
 * @brk_start, @brk: the heap [brk_start, brk), page aligned (ucore's); one
 *          region while non-empty, moved by mm_brk (mm_heap.c)
 */
struct mm_struct {
    pde_t *pgdir;
    struct vma_set vmas;
    struct mm_claim *claims;
    int mm_count;
    uintptr_t brk_start, brk;
};

static inline int mm_count_inc(struct mm_struct *mm) { return ++mm->mm_count; }
static inline int mm_count_dec(struct mm_struct *mm) { return --mm->mm_count; }

/*
 * struct mm_claim - a range of an address space that a client (a VMPool)
 * owns, embedded in the client's object.  The address space keeps it as
 * data, so it can keep out of the range without knowing the client:
 * mm_map and mm_unmap refuse the range (only the owner changes its
 * regions, through mm_add_region / mm_drop_region), and mm_destroy hands
 * the claim back through @ops->release.  The client registers it; the
 * address space never calls up into the client by name.
 * @start, @end: the range, [start, end)
 * @ops:         what kind of claim it is
 * @next:        the next claim of the address space
 */
struct mm_claim {
    uintptr_t start, end;
    const struct mm_claim_ops *ops;
    struct mm_claim *next;
};

/*
 * struct mm_claim_ops - one kind of claim.
 * @kind:     its name in messages ("VMPool")
 * @alloc_fn: the function that hands out its addresses (for messages)
 * @free_fn:  the function that gives its regions back (for messages)
 * @release:  free the owner; called once by mm_destroy after the pages
 *            and regions of the address space are gone
 * @dup:      fork: a new owner for the address space @to, a copy of
 *            @claim's (its regions and pages are copied by dup_mmap), with
 *            its claim filled in but not attached; NULL when out of memory
 */
struct mm_claim_ops {
    const char *kind;
    const char *alloc_fn;
    const char *free_fn;
    void (*release)(struct mm_claim *claim);
    struct mm_claim *(*dup)(const struct mm_claim *claim, struct mm_struct *to);
};

/* struct vmm_stats - page-fault counters, shown by the `faults` command
 * and reported by SYS_vmstat (libs/vmstat.h). */
struct vmm_stats {
    unsigned long faults;      /* every page fault */
    unsigned long zero_fill;   /* faults that mapped a new zeroed frame */
    unsigned long cow_copy;    /* COW faults that copied a shared frame */
    unsigned long cow_reuse;   /* COW faults that took over an unshared one */
    unsigned long prot_faults; /* faults on a present page (COW included) */
    unsigned long segv;        /* faults that were segmentation faults */
    unsigned long fork_copies; /* pages fork copied (FORK=eager builds) */
    unsigned long stack_grow;  /* faults that grew a stack (mm_stack.c) */
    uint64_t fault_cycles;     /* TSC cycles inside do_pgfault, waits for
                                  the disk (other processes' time) too */
};

extern struct mm_struct *current_mm; /* the loaded address space, or NULL */
extern struct vmm_stats vmm_stats;

/* vmm_init - the kmap window (needs pmm_init); mm_create works from
 * then on.  The boot checks are vmm_check_all (vmm_check.h). */
void vmm_init(void);

/* mm_create - a new, empty address space (a kmalloc'd descriptor and a
 * kernel-pool page directory), or NULL (nothing taken) when the kernel
 * pool is exhausted.  Panics before kmap_init. */
struct mm_struct *mm_create(void);

/* mm_destroy - unmap and free every frame and page table of @mm, its region
 * array, its directory and descriptor, and release its claims (a VMPool's
 * handle goes with it).  A loaded @mm is switched out first. */
void mm_destroy(struct mm_struct *mm);

/* mm_switch - load @mm's directory into CR3 (NULL: boot_pgdir). */
void mm_switch(struct mm_struct *mm);

/* mm_regions_init - @mm without regions or claims (mm_create). */
void mm_regions_init(struct mm_struct *mm);

/* mm_regions_destroy - free @mm's region array and release its claims,
 * newest first; the bookkeeping half of mm_destroy, after the pages are
 * unmapped.  @mm has no regions or claims afterwards. */
void mm_regions_destroy(struct mm_struct *mm);

/**
 * mm_map - register the lazily backed region [@start, @start + @len) with
 * VM_* @flags; no frame is touched.  Returns 0, -E_INVAL (unaligned,
 * empty, not below KERNBASE, overlapping a region, or overlapping a claim
 * such as a VMPool, with a message: a pool's addresses are vmpool_alloc's)
 * or -E_NO_MEM.
 */
int mm_map(struct mm_struct *mm, uintptr_t start, size_t len, uint32_t flags);

/* mm_unmap - remove the region that starts at @start: unmap its pages,
 * free their frames, drop their TLB entries and free page tables left
 * empty.  Returns 0, or -E_INVAL when no region starts at @start or (with
 * a message) when @start lies in a claim (vmpool_release gives a VMPool's
 * regions back). */
int mm_unmap(struct mm_struct *mm, uintptr_t start);

/* mm_add_region / mm_drop_region - mm_map / mm_unmap without the claim
 * check, for the owner of a claim (vmpool.c), which changes the regions
 * inside it. */
int mm_add_region(struct mm_struct *mm, uintptr_t start, size_t len,
                  uint32_t flags);
int mm_drop_region(struct mm_struct *mm, uintptr_t start);

/* find_vma - the region of @mm containing @addr, or NULL; O(log n).  The
 * pointer is valid until the next mm_map / mm_unmap of @mm. */
struct vma_struct *find_vma(struct mm_struct *mm, uintptr_t addr);

/* mm_claim_attach - register @claim (its range and ops filled in) as the
 * newest claim of @mm; the owner keeps the memory until @ops->release.
 * Panics when the range is empty or overlaps another claim (the owner
 * checks with mm_claim_find first). */
void mm_claim_attach(struct mm_struct *mm, struct mm_claim *claim);

/* mm_claim_find - the newest claim of @mm that intersects [@start, @end),
 * or NULL; @mm need not be loaded. */
struct mm_claim *mm_claim_find(struct mm_struct *mm, uintptr_t start,
                               uintptr_t end);

/* mm_claims_dup - give @to (being forked from @from) a copy of each of
 * @from's claims through @ops->dup, attached to @to.  Returns 0 or
 * -E_NO_MEM (the copies made so far stay attached: mm_destroy @to). */
int mm_claims_dup(struct mm_struct *to, const struct mm_struct *from);

/* mm_heap_init - an empty heap for @mm starting at @end rounded up to a
 * page (the end of the program's bss; exec). */
void mm_heap_init(struct mm_struct *mm, uintptr_t end);

/**
 * mm_brk - move @mm's heap end to @want rounded up to a page (ucore's
 * do_brk): growing registers or extends the heap's lazily backed region,
 * shrinking unmaps the pages above the new end, frees their frames and the
 * page tables left empty.  Nothing changes when @want lies below the
 * heap's start, when the growth would reach past UHEAPTOP or into another
 * region or a claim, or when the region array cannot grow.  Returns the
 * heap's end afterwards (so mm_brk(mm, 0) reads it).
 */
uintptr_t mm_brk(struct mm_struct *mm, uintptr_t want);

/* mm_insert_page - map the user page @page (a new frame, owned by the
 * caller) at @la in @mm with @perm, and record the mapping for swap
 * (swap_map).  0, or -E_NO_MEM with @page freed and nothing mapped. */
int mm_insert_page(struct mm_struct *mm, struct Page *page, uintptr_t la,
                   uint32_t perm);

/* mm_unmap_range - unmap every present page of [@start, @end) of @mm,
 * freeing frames whose last mapping this was and dropping their TLB
 * entries, and drop its swapped-out pages' swap entries (their slots
 * are freed with their last sharer), then free the page tables the range
 * leaves empty (panics on
 * one whose reference count is not 1).  The page-table half of
 * mm_drop_region and mm_destroy (mm_pgtable.c; the host test's shim
 * counts the pages instead). */
void mm_unmap_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);

/**
 * do_pgfault - handle a fault at @addr with the CPU's @error_code in the
 * loaded address space @mm (may be NULL); @esp is the user stack pointer
 * of the access (0: none known), which decides stack growth
 * (mm_stack_grow).  Logs it; maps a zeroed process-pool frame for a
 * legitimate not-present access and returns 0; otherwise reports
 * "segmentation fault at ..." and returns -E_FAULT.
 */
int do_pgfault(struct mm_struct *mm, uint32_t error_code, uintptr_t addr,
               uintptr_t esp);

/**
 * mm_stack_grow - grow the VM_STACK region of @mm directly above @addr
 * down to @addr's page when the access is a push: @addr at or above
 * @esp - 32 (@esp 0: none is, no user stack pointer being known) and at
 * most USTACKSIZE below the region's end, not into the region under it.
 * Returns the grown region (its pages still to be faulted in), or NULL
 * with the reason in *@why: no stack directly above, below the stack
 * pointer, or beyond the maximum stack size.  Takes no frame.
 */
struct vma_struct *mm_stack_grow(struct mm_struct *mm, uintptr_t addr,
                                 uintptr_t esp, const char **why);

/* mm_stack_reach - whether @addr lies below a VM_STACK region of @mm,
 * within the range it may grow into (whatever the stack pointer):
 * user_mem_check lets such a buffer through, and the copy's page fault
 * applies mm_stack_grow's rule with the system call's user esp. */
bool mm_stack_reach(struct mm_struct *mm, uintptr_t addr);

/* vmm_access_denied - why region @vma does not allow the access the page
 * fault @error_code (FEC_U / FEC_W) describes, or NULL when it does. */
const char *vmm_access_denied(const struct vma_struct *vma,
                              uint32_t error_code);

/* vmm_fault_log - turn the one-line log of every fault on or off; returns
 * the previous setting (bulk checks mute it, the counters still count). */
bool vmm_fault_log(bool on);

/* vmm_fault_trace - turn on (boot option SWAPTRACE) the "swaptrace" line
 * of every not-present fault on a user page, whatever vmm_fault_log says:
 * the pages a program faults on, as a reference string. */
void vmm_fault_trace(bool on);

/* mm_resident - the number of present pages in [@start, @end) of @mm. */
size_t mm_resident(struct mm_struct *mm, uintptr_t start, uintptr_t end);

/*
 * struct mm_usage - what the user half of an address space holds.
 * @pages:  present user pages (a frame mapped by several address spaces
 *          counts in each of them)
 * @shared: of those, pages whose frame's reference count is above 1
 * @tables: page tables
 * @high:   pages and tables in high memory (not direct-mapped)
 * @swapped: pages swapped out (a swap entry in the PTE)
 */
struct mm_usage {
    size_t pages, shared, tables, high, swapped;
};

/* mm_usage - count what @mm's user half holds into *@u (mm_pgtable.c). */
void mm_usage(struct mm_struct *mm, struct mm_usage *u);

/* mm_nr_tables - the number of page tables in @mm's user half. */
size_t mm_nr_tables(struct mm_struct *mm);

/**
 * dup_mmap - make @to, a new empty address space, a copy of @from (fork):
 * the same regions, and every present user page of @from mapped in @to --
 * the same frame, its reference count raised, a writable page made
 * read-only and PTE_COW in both (copy-on-write); with FORK=eager a new
 * frame holding a copy.  Only page tables are allocated (copy-on-write).
 * The heap's bounds and the claims (a VMPool's handle) are duplicated too
 * (dup_mm_state).  Returns 0 or -E_NO_MEM (then @to holds part of the
 * copy: mm_destroy it), at once when the process pool could not give the
 * child its page tables and still keep FORK_COW_RESERVE frames (free or,
 * with swap, evictable) for the
 * copy-on-write faults after the fork.
 */
int dup_mmap(struct mm_struct *to, struct mm_struct *from);

/* cow_share - fork's step for one page: make the empty PTE *@dst of the
 * child (directory @to_pgdir) map what the PTE *@src of the parent
 * (directory @from_pgdir) maps at @la: a present page's frame, one more
 * reference and mapping on it, a writable page becoming read-only and
 * PTE_COW in both (a read-only one stays read-only, and PTE_COW if it
 * was); a swapped-out page's swap entry, one more sharer of its slot.
 * The child is not loaded: no TLB entry of it to drop.  0, or -E_NO_MEM
 * with nothing changed.  Panics when *@dst is not empty. */
int cow_share(pde_t *from_pgdir, pde_t *to_pgdir, uintptr_t la, pte_t *src,
              pte_t *dst);

/* cow_pending - whether @addr's page is present and PTE_COW in @mm. */
bool cow_pending(struct mm_struct *mm, uintptr_t addr);

/* cow_fault - make @addr's PTE_COW page writable in the loaded @mm: a copy
 * in a new process-pool frame while the frame is shared, the frame itself
 * when @mm is its last user.  Counts cow_copy / cow_reuse.  Returns 0 or
 * -E_NO_MEM (nothing changed). */
int cow_fault(struct mm_struct *mm, uintptr_t addr);

/* user_mem_check - whether every byte of [@addr, @addr + @len) lies in
 * [USERBASE, USERTOP) and in user regions of @mm that allow the access
 * (@write: writing), or in the range a stack may still grow into
 * (mm_stack_reach; the copy's fault then decides by the stack rule).
 * Pages need not be present yet. */
bool user_mem_check(struct mm_struct *mm, uintptr_t addr, size_t len,
                    bool write);

/* copy_from_user / copy_to_user - copy @len bytes between the kernel and
 * the user buffer @src / @dst of the loaded address space @mm; false
 * (nothing promised about the kernel buffer) when user_mem_check refuses
 * the buffer or a page of it cannot be brought in (out of memory). */
bool copy_from_user(struct mm_struct *mm, void *dst, uintptr_t src, size_t len);
bool copy_to_user(struct mm_struct *mm, uintptr_t dst, const void *src,
                  size_t len);

/* copy_string - copy the user string at @src, its NUL included, into
 * @dst of @maxn bytes; false when it is not readable or longer than
 * @maxn - 1. */
bool copy_string(struct mm_struct *mm, char *dst, uintptr_t src, size_t maxn);

/* print_vma - the regions of the current address space (`vma`). */
void print_vma(void);

/* print_faults - the fault counters (`faults`). */
void print_faults(void);

#endif /* !KERN_MM_VMM_H */
