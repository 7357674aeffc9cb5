/*
 * frame.c -- the frame table and the reverse map.  The table covers the
 * frame numbers of the process pool, [proc_pool.first, proc_pool.end), in
 * kernel-pool pages allocated at swap_init.  A reverse-map node is
 * kmalloc'd per mapping; a page mapped once (the common case) costs one.
 * The accessed and dirty bits a policy asks about are read through the
 * page tables of every mapping, loaded or not (get_pte reaches an unloaded
 * directory's tables through kmap), and cleared with a TLB flush of the
 * loaded one's entry.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <pmm.h>
#include <kmalloc.h>
#include <swap_manager.h>
#include <frame.h>

static struct frame *frames;
static size_t nframes;

int frame_table_init(void)
{
    nframes = proc_pool.end - proc_pool.first;
    size_t npages = ROUNDUP(nframes * sizeof(struct frame), PGSIZE) / PGSIZE;
    struct Page *p = alloc_pages(npages);
    if (p == NULL) {
        return -E_NO_MEM;
    }
    frames = memset(page2kva(p), 0, npages * PGSIZE);
    return 0;
}

size_t frame_nr(void) { return nframes; }

size_t frame_index(const struct Page *page)
{
    ppn_t ppn = page2ppn((struct Page *)page);
    if (ppn < proc_pool.first || ppn >= proc_pool.end) {
        panic("frame_index: page %p (pa %08x) is not a process-pool frame",
              page, page2pa((struct Page *)page));
    }
    return ppn - proc_pool.first;
}

struct frame *page2frame(const struct Page *page)
{
    return &frames[frame_index(page)];
}

int rmap_add(struct rmap **list, pde_t *pgdir, uintptr_t la)
{
    struct rmap *r = kmalloc(sizeof(*r));
    if (r == NULL) {
        return -E_NO_MEM;
    }
    *r = (struct rmap){pgdir, la, *list};
    *list = r;
    return 0;
}

bool rmap_del(struct rmap **list, pde_t *pgdir, uintptr_t la)
{
    for (struct rmap **rp = list; *rp != NULL; rp = &(*rp)->next) {
        if ((*rp)->pgdir == pgdir && (*rp)->la == la) {
            struct rmap *r = *rp;
            *rp = r->next;
            kfree(r);
            return true;
        }
    }
    return false;
}

size_t rmap_count(const struct rmap *list)
{
    size_t n = 0;
    for (; list != NULL; list = list->next) {
        n++;
    }
    return n;
}

void frame_each_pte(const struct rmap *list,
                    void (*fn)(pte_t *ptep, const struct rmap *r, void *arg),
                    void *arg)
{
    for (const struct rmap *r = list; r != NULL; r = r->next) {
        pte_t *ptep = get_pte(r->pgdir, r->la, false);
        if (ptep == NULL) {
            panic("frame_each_pte: pgdir %p has no page table for %08x, "
                  "which the reverse map says it maps",
                  r->pgdir, r->la);
        }
        fn(ptep, r, arg);
        put_pte(ptep);
    }
}

/* test_bits - OR the bits of *@arg's mask found in the PTE into the
 * mask's result; clear them when asked. */
struct bits_query {
    uint32_t mask, found;
    bool clear;
};
static void test_bits(pte_t *ptep, const struct rmap *r, void *arg)
{
    struct bits_query *q = arg;
    if (*ptep & q->mask) {
        q->found |= *ptep & q->mask;
        if (q->clear) {
            *ptep &= ~q->mask;
            tlb_invalidate(r->pgdir, r->la);
        }
    }
}

bool frame_accessed(struct Page *page, bool clear)
{
    struct bits_query q = {PTE_A, 0, clear};
    frame_each_pte(page2frame(page)->maps, test_bits, &q);
    return q.found != 0;
}

bool frame_dirty(struct Page *page)
{
    struct frame *f = page2frame(page);
    struct bits_query q = {PTE_D, 0, false};
    frame_each_pte(f->maps, test_bits, &q);
    return f->slot == 0 || q.found != 0;
}

uintptr_t frame_key(const struct Page *page)
{
    const struct rmap *r = page2frame(page)->maps;
    if (r == NULL) {
        panic("frame_key: page %p has no mapping", page);
    }
    uintptr_t key =
        (((uintptr_t)r->pgdir >> PGSHIFT) * 2654435761u) ^ (r->la >> PGSHIFT);
    return key != 0 ? key : 1;
}
