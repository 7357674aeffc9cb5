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
 */
struct mm_struct {
    pde_t *pgdir;
    struct vma_set vmas;
    struct mm_claim *claims;
    int mm_count;
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
 */
struct mm_claim_ops {
    const char *kind;
    const char *alloc_fn;
    const char *free_fn;
    void (*release)(struct mm_claim *claim);
};

/* struct vmm_stats - page-fault counters, shown by the `faults` command. */
struct vmm_stats {
    unsigned long faults;      /* every page fault */
    unsigned long zero_fill;   /* faults that mapped a new zeroed frame */
    unsigned long prot_faults; /* faults on a present page */
    unsigned long segv;        /* faults that were segmentation faults */
    unsigned long stack_grow;  /* faults that grew a stack (mm_stack.c) */
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

/* mm_unmap_range - unmap every present page of [@start, @end) of @mm,
 * freeing frames whose last mapping this was and dropping their TLB
 * entries, then free the page tables the range leaves empty (panics on
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

/* mm_resident - the number of present pages in [@start, @end) of @mm. */
size_t mm_resident(struct mm_struct *mm, uintptr_t start, uintptr_t end);

/* mm_frames - the frames @mm's user half holds (pages and page tables)
 * in *@frames, and how many of them are high memory (not direct-mapped)
 * in *@high. */
void mm_frames(struct mm_struct *mm, size_t *frames, size_t *high);

/* mm_nr_tables - the number of page tables in @mm's user half. */
size_t mm_nr_tables(struct mm_struct *mm);

/**
 * dup_mmap - make @to, a new empty address space, a copy of @from (fork):
 * the same regions, and every present user page of @from copied into a
 * new process-pool frame mapped with the same permissions in @to (an
 * eager copy; copy_range's inner step is where copy-on-write goes).
 * Returns 0, -E_NO_MEM (then @to holds part of the copy: mm_destroy it),
 * or -E_INVAL when @from has claims (VMPools are not inherited yet).
 */
int dup_mmap(struct mm_struct *to, struct mm_struct *from);

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
