/* sim.c -- the replay harness (sim.h): the kernel's frame_* functions and
 * kmalloc over simulated frames, and LRU and OPT beside the policies. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kmalloc.h>
#include <swap_manager.h>

#include "sim.h"

char sim_error[256];

#define NO_FRAME UINT32_MAX

/* One simulation: frames and pages, as sim.h describes. */
static struct {
    const struct swap_manager *pm;
    size_t nframes, npages;
    struct Page *pages;  /* the frames */
    uint32_t *vpage;     /* per frame: the page in it, or NO_FRAME */
    bool *accessed;      /* per frame */
    bool *dirty;         /* per frame */
    bool *swappable;     /* per frame: between map_swappable and victim */
    uint32_t *frame;     /* per page: its frame, or NO_FRAME */
    bool *swap_valid;    /* per page: swap holds a copy */
    uint32_t *free_list; /* free frames, a stack */
    size_t nfree;
    struct sim_result res;
} sim;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p == NULL) {
        fprintf(stderr, "replace: out of memory\n");
        exit(2);
    }
    return p;
}

static bool fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sim_error, sizeof(sim_error), fmt, ap);
    va_end(ap);
    return false;
}

/* ---- what the policies call ----------------------------------------- */

bool sim_kmalloc_fails;

void *kmalloc(size_t size)
{
    return size && !sim_kmalloc_fails ? malloc(size) : NULL;
}

void kfree(void *ptr)
{
    free(ptr);
}

size_t frame_nr(void)
{
    return sim.nframes;
}

size_t frame_index(const struct Page *page)
{
    size_t i = (size_t)(page - sim.pages);
    if (page < sim.pages || i >= sim.nframes) {
        fprintf(stderr, "replace: frame_index(%p): not a frame\n", (void *)page);
        abort();
    }
    return i;
}

bool frame_accessed(struct Page *page, bool clear)
{
    size_t i = frame_index(page);
    bool a = sim.accessed[i];
    if (clear) {
        sim.accessed[i] = false;
    }
    return a;
}

bool frame_dirty(struct Page *page)
{
    size_t i = frame_index(page);
    return sim.dirty[i] || !sim.swap_valid[sim.vpage[i]];
}

uintptr_t frame_key(const struct Page *page)
{
    return (uintptr_t)sim.vpage[frame_index(page)] + 1;
}

/* ---- the simulation ------------------------------------------------- */

bool sim_begin(const struct swap_manager *pm, size_t nframes, size_t npages)
{
    memset(&sim, 0, sizeof(sim));
    sim.pm = pm;
    sim.nframes = nframes;
    sim.npages = npages;
    sim.pages = xcalloc(nframes, sizeof(*sim.pages));
    sim.vpage = xcalloc(nframes, sizeof(*sim.vpage));
    sim.accessed = xcalloc(nframes, sizeof(bool));
    sim.dirty = xcalloc(nframes, sizeof(bool));
    sim.swappable = xcalloc(nframes, sizeof(bool));
    sim.frame = xcalloc(npages, sizeof(*sim.frame));
    sim.swap_valid = xcalloc(npages, sizeof(bool));
    sim.free_list = xcalloc(nframes, sizeof(*sim.free_list));
    for (size_t i = 0; i < nframes; i++) {
        sim.vpage[i] = NO_FRAME;
        sim.free_list[i] = (uint32_t)(nframes - 1 - i);
    }
    sim.nfree = nframes;
    for (size_t p = 0; p < npages; p++) {
        sim.frame[p] = NO_FRAME;
    }
    if (pm != NULL && pm->init() != 0) {
        return fail("%s: init failed", pm->name);
    }
    return true;
}

struct sim_result sim_end(void)
{
    struct sim_result res = sim.res;
    free(sim.pages);
    free(sim.vpage);
    free(sim.accessed);
    free(sim.dirty);
    free(sim.swappable);
    free(sim.frame);
    free(sim.swap_valid);
    free(sim.free_list);
    memset(&sim, 0, sizeof(sim));
    return res;
}

bool sim_resident(uint32_t page)
{
    return page < sim.npages && sim.frame[page] != NO_FRAME;
}

/* evict - frame @f leaves: written back when frame_dirty() says so. */
static void evict(uint32_t f)
{
    uint32_t p = sim.vpage[f];
    if (frame_dirty(&sim.pages[f])) {
        sim.res.writebacks++;
        sim.swap_valid[p] = true;
    }
    sim.frame[p] = NO_FRAME;
    sim.vpage[f] = NO_FRAME;
}

/* victim - a frame from the policy, checked; NO_FRAME on failure. */
static uint32_t victim(void)
{
    struct Page *page = NULL;
    if (sim.pm->swap_out_victim(NULL, &page, 0) != 0) {
        fail("%s: no victim among %zu frames", sim.pm->name, sim.nframes);
        return NO_FRAME;
    }
    if (page < sim.pages || page >= sim.pages + sim.nframes) {
        fail("%s: victim %p is not a frame", sim.pm->name, (void *)page);
        return NO_FRAME;
    }
    uint32_t f = (uint32_t)(page - sim.pages);
    if (!sim.swappable[f]) {
        fail("%s: victim frame %u (page %d) is not swappable (pinned, free or given already)",
             sim.pm->name, f, sim.vpage[f] == NO_FRAME ? -1 : (int)sim.vpage[f]);
        return NO_FRAME;
    }
    sim.swappable[f] = false;
    return f;
}

/* load - bring @page into a frame (a free one, else a victim's). */
static bool load(uint32_t page)
{
    uint32_t f;
    if (sim.nfree > 0) {
        f = sim.free_list[--sim.nfree];
    } else if ((f = victim()) == NO_FRAME) {
        return false;
    } else {
        evict(f);
    }
    sim.frame[page] = f;
    sim.vpage[f] = page;
    sim.accessed[f] = sim.dirty[f] = false;
    sim.swappable[f] = true;
    if (sim.pm->map_swappable(NULL, (uintptr_t)page << 12, &sim.pages[f],
                              sim.swap_valid[page]) != 0) {
        return fail("%s: map_swappable failed", sim.pm->name);
    }
    return true;
}

bool sim_ref(uint32_t page, bool write)
{
    if (page >= sim.npages) {
        return fail("page %u out of range", page);
    }
    sim.res.refs++;
    if (sim.frame[page] == NO_FRAME) {
        sim.res.faults++;
        if (!load(page)) {
            return false;
        }
    }
    uint32_t f = sim.frame[page];
    sim.accessed[f] = true;
    sim.dirty[f] |= write;
    return true;
}

bool sim_pin(uint32_t page)
{
    if (!sim_resident(page) || !sim.swappable[sim.frame[page]]) {
        return true;
    }
    sim.swappable[sim.frame[page]] = false;
    return sim.pm->set_unswappable(&sim.pages[sim.frame[page]]) == 0 ||
           fail("%s: set_unswappable failed", sim.pm->name);
}

bool sim_unpin(uint32_t page)
{
    if (!sim_resident(page) || sim.swappable[sim.frame[page]]) {
        return true;
    }
    uint32_t f = sim.frame[page];
    sim.swappable[f] = true;
    return sim.pm->map_swappable(NULL, (uintptr_t)page << 12, &sim.pages[f], 0) == 0 ||
           fail("%s: map_swappable (unpin) failed", sim.pm->name);
}

bool sim_free(uint32_t page)
{
    if (!sim_resident(page)) {
        return true;
    }
    uint32_t f = sim.frame[page];
    if (sim.pm->set_unswappable(&sim.pages[f]) != 0) {
        return fail("%s: set_unswappable failed", sim.pm->name);
    }
    sim.swappable[f] = false;
    sim.frame[page] = NO_FRAME;
    sim.vpage[f] = NO_FRAME;
    sim.swap_valid[page] = false;
    sim.free_list[sim.nfree++] = f;
    return true;
}

struct sim_result sim_policy(const struct swap_manager *pm,
                             const struct trace *t, size_t nframes)
{
    bool ok = sim_begin(pm, nframes, t->npages);
    for (size_t i = 0; ok && i < t->n; i++) {
        ok = sim_ref(t->page[i], t->write[i]);
    }
    if (!ok) {
        fprintf(stderr, "replace: %s, %zu frames: %s\n", t->name, nframes, sim_error);
        exit(1);
    }
    return sim_end();
}

/* ---- LRU and OPT ---------------------------------------------------- */

/* replay_rank - replay @t evicting the resident page of least rank[]
 * (ties: the clean one first); @rank_of sets the rank of the page
 * referenced at position i. */
static struct sim_result replay_rank(const struct trace *t, size_t nframes,
                                     uint64_t (*rank_of)(const struct trace *, size_t))
{
    sim_begin(NULL, nframes, t->npages);
    uint64_t *rank = xcalloc(nframes, sizeof(*rank));
    for (size_t i = 0; i < t->n; i++) {
        uint32_t p = t->page[i];
        sim.res.refs++;
        if (sim.frame[p] == NO_FRAME) {
            sim.res.faults++;
            uint32_t f;
            if (sim.nfree > 0) {
                f = sim.free_list[--sim.nfree];
            } else {
                f = 0;
                for (uint32_t g = 1; g < nframes; g++) {
                    bool clean_g = !frame_dirty(&sim.pages[g]);
                    bool clean_f = !frame_dirty(&sim.pages[f]);
                    if (rank[g] < rank[f] || (rank[g] == rank[f] && clean_g && !clean_f)) {
                        f = g;
                    }
                }
                evict(f);
            }
            sim.frame[p] = f;
            sim.vpage[f] = p;
            sim.dirty[f] = false;
        }
        uint32_t f = sim.frame[p];
        sim.dirty[f] |= t->write[i];
        rank[f] = rank_of(t, i);
    }
    free(rank);
    return sim_end();
}

static uint64_t lru_rank(const struct trace *t, size_t i)
{
    (void)t;
    return i + 1;
}

/* OPT: the rank is the distance to the next use, reversed (far = low). */
static size_t *opt_next; /* per position: the next use of that page, or n */

static uint64_t opt_rank(const struct trace *t, size_t i)
{
    return (uint64_t)t->n - opt_next[i];
}

struct sim_result sim_lru(const struct trace *t, size_t nframes)
{
    return replay_rank(t, nframes, lru_rank);
}

struct sim_result sim_opt(const struct trace *t, size_t nframes)
{
    size_t *last = xcalloc(t->npages, sizeof(*last));
    opt_next = xcalloc(t->n, sizeof(*opt_next));
    for (size_t p = 0; p < t->npages; p++) {
        last[p] = t->n;
    }
    for (size_t i = t->n; i-- > 0;) {
        opt_next[i] = last[t->page[i]];
        last[t->page[i]] = i;
    }
    struct sim_result res = replay_rank(t, nframes, opt_rank);
    free(last);
    free(opt_next);
    opt_next = NULL;
    return res;
}
