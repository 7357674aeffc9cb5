/*
 * vmpool.c -- VMPools.  A pool is a range of virtual addresses of one
 * address space, named by a handle: a small kernel object (kmalloc) that
 * records the pool's address space, bounds and permissions and how much
 * of its metadata is in use.  The metadata itself lives in the first page
 * of the pool: one array of ranges used from both ends -- allocated
 * regions from the bottom up, free ranges from the top down, each sorted
 * by address -- so the one page decides how many regions a pool can have
 * (vmpool_capacity()).  That page is an ordinary kernel-only region of the
 * address space, allocated by the page fault the first write to it takes,
 * and it can be read only while its address space is loaded: every entry
 * point checks the handle's address space against the loaded one.  The
 * handle carries the pool's claim on its address space (struct mm_claim,
 * vmm.h): mm_map and mm_unmap refuse the claimed range, so only this file
 * changes the regions in it, and mm_destroy frees the handle through the
 * claim's release callback.
 *
 * Every allocated region is also a region (vma) of the address space, so
 * the fault handler finds it with find_vma and gives it the pool's
 * permissions.  Allocation is first fit over the free ranges
 * (O(entries)); release finds the region by bisection, unmaps it and
 * merges the range with its neighbours.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <kmalloc.h>
#include <vmm.h>
#include <vm_probe.h>
#include <vmpool.h>

#define VMPOOL_MAGIC 0x564d506cu /* "VMPl" */
#define META_SIZE    (VMPOOL_META_PAGES * PGSIZE)

struct vmp_range {
    uintptr_t start, end;
};

/* struct vmpool - a pool's handle (kernel memory; r points into the pool's
 * address space). */
struct vmpool {
    uint32_t magic;
    struct mm_struct *mm;
    struct mm_claim claim; /* the pool, metadata included: [start, end) */
    uint32_t flags;        /* VM_* of its regions */
    uint32_t nr_regions;   /* r[0 .. nr_regions) */
    uint32_t nr_free;      /* r[CAPACITY - nr_free .. CAPACITY) */
    struct vmp_range *r;   /* the metadata page, at base */
};

#define CAPACITY (META_SIZE / sizeof(struct vmp_range))

size_t vmpool_capacity(void) { return CAPACITY; }

size_t vmpool_handle_size(void) { return sizeof(struct vmpool); }

static struct vmp_range *free_ranges(struct vmpool *pool)
{
    return &pool->r[CAPACITY - pool->nr_free];
}

/* pool_enter - panic unless @pool is a live handle of a pool of the
 * loaded address space (the magic is read through a probe, so a wild
 * pointer is reported, not followed into a kernel fault). */
static void pool_enter(const char *fn, struct vmpool *pool)
{
    uint32_t magic = 0;
    if (pool == NULL || vm_probe_read((uintptr_t)&pool->magic, &magic) != 0 ||
        magic != VMPOOL_MAGIC) {
        panic("%s: %p is not a VMPool handle", fn, pool);
    }
    if (pool->mm != current_mm) {
        panic("%s: pool %08x (handle %p) belongs to mm %p, but mm %p is "
              "loaded",
              fn, pool->claim.start, pool, pool->mm, current_mm);
    }
}

/* pool_release - mm_destroy's end of a pool: free its handle (the
 * metadata page went with the address space's other pages). */
static void pool_release(struct mm_claim *claim)
{
    struct vmpool *pool = to_struct(claim, struct vmpool, claim);
    pool->magic = 0; /* a stale handle is not taken for a pool */
    kfree(pool);
}

/* pool_dup - fork's end of a pool: a handle for the copy of the pool in
 * @to, whose metadata page dup_mmap copies with the other pages (the
 * handle's counts describe it), or NULL when out of memory. */
static struct mm_claim *pool_dup(const struct mm_claim *claim,
                                 struct mm_struct *to)
{
    const struct vmpool *pool = to_struct(claim, struct vmpool, claim);
    struct vmpool *copy = kmalloc(sizeof(*copy));
    if (copy == NULL) {
        return NULL;
    }
    *copy = *pool;
    copy->mm = to;
    copy->claim.next = NULL;
    return &copy->claim;
}

static const struct mm_claim_ops pool_claim_ops = {
    .kind = "VMPool",
    .alloc_fn = "vmpool_alloc",
    .free_fn = "vmpool_release",
    .release = pool_release,
    .dup = pool_dup,
};

struct vmpool *vmpool_find(struct mm_struct *mm, uintptr_t addr)
{
    struct mm_claim *c = mm_claim_find(mm, addr, addr + 1);
    if (c == NULL || c->ops != &pool_claim_ops) {
        return NULL;
    }
    return to_struct(c, struct vmpool, claim);
}

/* create_refusal - why a pool [base, base + size) cannot be created in
 * @mm, or NULL when it can. */
static const char *create_refusal(struct mm_struct *mm, uintptr_t base,
                                  size_t size)
{
    if (PGOFF(base) != 0 || PGOFF(size) != 0) {
        return "base and size must be page aligned";
    }
    if (base < PGSIZE) {
        return "page 0 stays unmapped (a NULL pointer must fault)";
    }
    if (size <= META_SIZE) {
        return "no room after the metadata page";
    }
    if (base >= KERNBASE || size > KERNBASE - base) {
        return "the pool must lie below KERNBASE";
    }
    struct vma_struct *v = vma_set_next(&mm->vmas, base);
    if ((v != NULL && v->vm_start < base + size) ||
        mm_claim_find(mm, base, base + size) != NULL) {
        return "it overlaps a region or another pool";
    }
    return NULL;
}

/* pool_link - fill in the handle of a new pool whose metadata page is
 * present (one free range after it) and register its claim with @mm. */
static void pool_link(struct vmpool *pool, struct mm_struct *mm, uintptr_t base,
                      size_t size, uint32_t flags)
{
    *pool = (struct vmpool){
        .magic = VMPOOL_MAGIC,
        .mm = mm,
        .claim = {.start = base, .end = base + size, .ops = &pool_claim_ops},
        .flags = flags,
        .nr_free = 1,
        .r = (struct vmp_range *)base};
    free_ranges(pool)[0] = (struct vmp_range){base + META_SIZE, base + size};
    mm_claim_attach(mm, &pool->claim);
}

struct vmpool *vmpool_create(struct mm_struct *mm, uintptr_t base, size_t size,
                             uint32_t flags)
{
    if (mm == NULL || mm != current_mm) {
        panic("vmpool_create: mm %p is not the loaded address space", mm);
    }
    struct vmpool *pool = NULL;
    const char *why = create_refusal(mm, base, size);
    if (why != NULL) {
        goto fail;
    }
    why = "out of memory for the pool's handle";
    if ((pool = kmalloc(sizeof(*pool))) == NULL) {
        goto fail;
    }
    why = "out of memory for the metadata region";
    if (mm_add_region(mm, base, META_SIZE, VM_READ | VM_WRITE) != 0) {
        goto fail;
    }
    why = "no frame for the metadata page";
    if (vm_probe_write(base, 0) != 0) { /* the metadata page faults in */
        goto unmap;
    }
    pool_link(pool, mm, base, size, flags);
    return pool;

unmap:
    mm_drop_region(mm, base);
fail:
    kfree(pool);
    cprintf("vmpool_create: [%08x, +%lx): %s\n", base, (unsigned long)size,
            why);
    return NULL;
}

/* region_index - the index of the last region starting at or below @addr,
 * or -1 when there is none. */
static int region_index(struct vmpool *pool, uintptr_t addr)
{
    int lo = 0, hi = pool->nr_regions;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (pool->r[mid].start <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo - 1;
}

/* region_insert - record the region [start, end) in address order. */
static void region_insert(struct vmpool *pool, uintptr_t start, uintptr_t end)
{
    int i = region_index(pool, start) + 1;
    memmove(&pool->r[i + 1], &pool->r[i],
            (pool->nr_regions - i) * sizeof(pool->r[0]));
    pool->r[i] = (struct vmp_range){start, end};
    pool->nr_regions++;
}

/* free_remove - drop free range @k (entries below it move up one). */
static void free_remove(struct vmpool *pool, size_t k)
{
    struct vmp_range *f = free_ranges(pool);
    memmove(f + 1, f, k * sizeof(*f));
    pool->nr_free--;
}

/* first_fit - the index of the lowest free range of at least @len bytes,
 * or nr_free when none is. */
static size_t first_fit(struct vmpool *pool, size_t len)
{
    struct vmp_range *f = free_ranges(pool);
    size_t k = 0;
    while (k < pool->nr_free && f[k].end - f[k].start < len) {
        k++;
    }
    return k;
}

uintptr_t vmpool_alloc(struct vmpool *pool, size_t size)
{
    pool_enter("vmpool_alloc", pool);
    if (size == 0 || size > pool->claim.end - pool->claim.start) {
        cprintf("vmpool_alloc: pool %08x: cannot hold %lu bytes\n",
                pool->claim.start, (unsigned long)size);
        return 0;
    }
    size_t len = ROUNDUP(size, PGSIZE), k = first_fit(pool, len);
    if (k == pool->nr_free) {
        cprintf("vmpool_alloc: pool %08x: no free range of %lu pages\n",
                pool->claim.start, (unsigned long)len / PGSIZE);
        return 0;
    }
    struct vmp_range *f = &free_ranges(pool)[k];
    bool split = f->end - f->start != len; /* else f becomes the region */
    if (split && pool->nr_regions + pool->nr_free >= CAPACITY) {
        cprintf("vmpool_alloc: pool %08x: region metadata is full (%u "
                "regions, %u free ranges in %lu entries)\n",
                pool->claim.start, pool->nr_regions, pool->nr_free,
                (unsigned long)CAPACITY);
        return 0;
    }
    uintptr_t start = f->start;
    int ret = mm_add_region(pool->mm, start, len, pool->flags);
    if (ret != 0) {
        cprintf("vmpool_alloc: pool %08x: [%08x, %08x) %s\n", pool->claim.start,
                start, start + len,
                ret == -E_INVAL ? "overlaps a foreign region"
                                : "cannot be recorded: the address space's "
                                  "region array is out of memory");
        return 0;
    }
    if (split) {
        f->start += len;
    } else {
        free_remove(pool, k);
    }
    region_insert(pool, start, start + len);
    return start;
}

/* free_insert - give [start, end) back to the free ranges, merged with the
 * free range ending at @start and the one beginning at @end. */
static void free_insert(struct vmpool *pool, uintptr_t start, uintptr_t end)
{
    struct vmp_range *f = free_ranges(pool);
    size_t j = 0;
    while (j < pool->nr_free && f[j].start < start) {
        j++;
    }
    bool join_prev = j > 0 && f[j - 1].end == start;
    bool join_next = j < pool->nr_free && f[j].start == end;
    if (join_prev && join_next) {
        f[j - 1].end = f[j].end;
        free_remove(pool, j);
    } else if (join_prev) {
        f[j - 1].end = end;
    } else if (join_next) {
        f[j].start = start;
    } else {
        memmove(f - 1, f, j * sizeof(*f));
        f[j - 1] = (struct vmp_range){start, end};
        pool->nr_free++;
    }
}

int vmpool_release(struct vmpool *pool, uintptr_t addr)
{
    pool_enter("vmpool_release", pool);
    int i = region_index(pool, addr);
    if (i < 0 || pool->r[i].start != addr) {
        cprintf("vmpool_release: %08x is not the start of a live region of "
                "pool %08x\n",
                addr, pool->claim.start);
        return -E_INVAL;
    }
    struct vmp_range reg = pool->r[i];
    if (mm_drop_region(pool->mm, reg.start) != 0) {
        panic("vmpool_release: pool %08x: region [%08x, %08x) is missing from "
              "mm %p",
              pool->claim.start, reg.start, reg.end, pool->mm);
    }
    memmove(&pool->r[i], &pool->r[i + 1],
            (pool->nr_regions - i - 1) * sizeof(pool->r[0]));
    pool->nr_regions--;
    free_insert(pool, reg.start, reg.end);
    return 0;
}

size_t vmpool_region_size(struct vmpool *pool, uintptr_t addr)
{
    pool_enter("vmpool_region_size", pool);
    int i = region_index(pool, addr);
    if (i < 0 || pool->r[i].start != addr) {
        return 0;
    }
    return pool->r[i].end - pool->r[i].start;
}

bool vmpool_is_legitimate(struct vmpool *pool, uintptr_t addr)
{
    pool_enter("vmpool_is_legitimate", pool);
    if (addr < pool->claim.start || addr >= pool->claim.end) {
        return false;
    }
    if (addr < pool->claim.start + META_SIZE) {
        return true;
    }
    int i = region_index(pool, addr);
    return i >= 0 && addr < pool->r[i].end;
}

void vmpool_counts(struct vmpool *pool, size_t *regions, size_t *ranges,
                   size_t *longest)
{
    pool_enter("vmpool_counts", pool);
    size_t most = 0;
    struct vmp_range *f = free_ranges(pool);
    for (size_t k = 0; k < pool->nr_free; k++) {
        most = MAX(most, (size_t)(f[k].end - f[k].start) / PGSIZE);
    }
    if (regions != NULL) {
        *regions = pool->nr_regions;
    }
    if (ranges != NULL) {
        *ranges = pool->nr_free;
    }
    if (longest != NULL) {
        *longest = most;
    }
}

/* check_region_vma - panic unless [start, end) is a region of @pool's
 * address space with the pool's flags. */
static void check_region_vma(struct vmpool *pool, uintptr_t start,
                             uintptr_t end)
{
    struct vma_struct *v = find_vma(pool->mm, start);
    if (v == NULL || v->vm_start != start || v->vm_end != end ||
        v->vm_flags != pool->flags) {
        panic("vmpool_check_pool: pool %08x: region [%08x, %08x) is not "
              "registered in mm %p",
              pool->claim.start, start, end, pool->mm);
    }
}

void vmpool_check_pool(struct vmpool *pool)
{
    pool_enter("vmpool_check_pool", pool);
    struct vmp_range *f = free_ranges(pool);
    uintptr_t at = pool->claim.start + META_SIZE;
    size_t i = 0, k = 0;
    if (pool->nr_regions + pool->nr_free > CAPACITY) {
        panic("vmpool_check_pool: pool %08x: %u regions + %u free ranges "
              "exceed %lu entries",
              pool->claim.start, pool->nr_regions, pool->nr_free,
              (unsigned long)CAPACITY);
    }
    while (i < pool->nr_regions || k < pool->nr_free) {
        bool take_free = i == pool->nr_regions ||
                         (k < pool->nr_free && f[k].start < pool->r[i].start);
        struct vmp_range *next = take_free ? &f[k++] : &pool->r[i++];
        if (next->start != at || next->end <= next->start ||
            (take_free && k < pool->nr_free && f[k].start == next->end)) {
            panic("vmpool_check_pool: pool %08x: %s range [%08x, %08x) is "
                  "misplaced (expected to start at %08x, or not coalesced)",
                  pool->claim.start, take_free ? "free" : "allocated",
                  next->start, next->end, at);
        }
        if (!take_free) {
            check_region_vma(pool, next->start, next->end);
        }
        at = next->end;
    }
    if (at != pool->claim.end) {
        panic("vmpool_check_pool: pool %08x: ranges end at %08x, the pool at "
              "%08x",
              pool->claim.start, at, pool->claim.end);
    }
}

void print_vmpools(struct mm_struct *mm)
{
    for (struct mm_claim *c = mm->claims; c != NULL; c = c->next) {
        if (c->ops != &pool_claim_ops) {
            continue;
        }
        struct vmpool *p = to_struct(c, struct vmpool, claim);
        size_t regions, ranges, longest;
        vmpool_counts(p, &regions, &ranges, &longest);
        cprintf("  pool [%08x, %08x): %lu regions, %lu free ranges (longest "
                "%lu pages), metadata %lu of %lu entries\n",
                p->claim.start, p->claim.end, (unsigned long)regions,
                (unsigned long)ranges, (unsigned long)longest,
                (unsigned long)(regions + ranges), (unsigned long)CAPACITY);
    }
}
