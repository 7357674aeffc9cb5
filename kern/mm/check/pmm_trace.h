/*
 * pmm_trace.h -- reproducible page-allocator workloads, shared by the host
 * benchmark (tests/bench) and the in-kernel one (pmm_bench.c) so both run
 * the identical sequence of requests.
 *
 * A trace is a stream of ops: "allocate n pages" or "free the block in live
 * slot s".  The generator keeps its own list of live blocks and decides from
 * a fixed-seed xorshift32 stream alone, never from what an allocator
 * returned, so every manager sees the same ops; a replayer that got NULL
 * for an alloc simply skips the matching free.  Slots are kept dense: a free
 * of slot s moves the last live block into s, in the generator and in the
 * replayer alike.
 *
 * Header-only and freestanding (no libc).  pmm_trace_replay() needs
 * alloc_pages/free_pages, i.e. <pmm.h> (the kernel's or the host shim's);
 * pmm_trace_replay_on() calls one manager instance directly.
 */
#ifndef KERN_MM_PMM_TRACE_H
#define KERN_MM_PMM_TRACE_H

#include <defs.h>
#include <pmm.h>

/* pmm_rand - xorshift32 (Marsaglia 2003); the state must not be 0. */
static inline uint32_t pmm_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* pmm_rand_below - uniform in [0, n) for n > 0 (multiply-shift, no
 * division). */
static inline uint32_t pmm_rand_below(uint32_t *state, uint32_t n)
{
    return (uint32_t)(((uint64_t)pmm_rand(state) * n) >> 32);
}

/* struct pmm_trace_mix - request sizes: bucket i is picked with probability
 * pct[i] / 100 and then a size uniform in [lo[i], hi[i]]. */
#define PMM_TRACE_BUCKETS 3
struct pmm_trace_mix {
    uint8_t pct[PMM_TRACE_BUCKETS];
    uint32_t lo[PMM_TRACE_BUCKETS], hi[PMM_TRACE_BUCKETS];
};

/* The "realistic" mix: mostly single pages, some small runs, a few big. */
static const struct pmm_trace_mix pmm_mix_realistic = {
    .pct = {70, 20, 10}, .lo = {1, 2, 9}, .hi = {1, 8, 256}};
/* Large blocks only. */
static const struct pmm_trace_mix pmm_mix_large = {
    .pct = {100, 0, 0}, .lo = {64, 0, 0}, .hi = {1024, 0, 0}};

struct pmm_trace_op {
    uint32_t is_free : 1;
    uint32_t slot : 31; /* free: the live slot; alloc: the slot it fills */
    uint32_t n;         /* pages allocated (or freed, with the block) */
};

/* Which live block a steady-state free op gives back. */
enum pmm_free_order {
    PMM_FREE_RANDOM, /* any live block, uniformly */
    PMM_FREE_LIFO,   /* the one allocated last */
    PMM_FREE_FIFO,   /* the one allocated first */
};

/*
 * struct pmm_trace - generator state.  Steady state: below @target pages
 * held, three ops in four allocate; at or above it, three in four free.
 * With @checker set the trace opens adversarially: fill @checker pages with
 * one-page blocks, then free every other one (in allocation order).
 */
struct pmm_trace {
    uint32_t rng;
    const struct pmm_trace_mix *mix;
    uint32_t target; /* pages to hold in steady state */
    uint32_t held;   /* pages the live blocks add up to */
    uint32_t nlive, maxlive;
    uint32_t *live_n; /* caller's array of maxlive entries: size per slot */
    uint32_t checker; /* pages still to fill one by one (prologue) */
    uint32_t unpick;  /* 1 + the next even slot to free (prologue) */
    enum pmm_free_order order;
    /* FIFO only: the live blocks oldest first, as a ring of slots (queue,
     * from index oldest), and each slot's index in it (rank). */
    uint32_t *queue, *rank;
    uint32_t oldest;
};

/* pmm_trace_init - a generator drawing from @mix with seed @seed (!= 0),
 * bookkeeping in @live_n[@maxlive]; @checker pages of checkerboard first. */
static inline void pmm_trace_init(struct pmm_trace *t, uint32_t seed,
                                  const struct pmm_trace_mix *mix,
                                  uint32_t target, uint32_t *live_n,
                                  uint32_t maxlive, uint32_t checker)
{
    *t = (struct pmm_trace){.rng = seed,
                            .mix = mix,
                            .target = target,
                            .maxlive = maxlive,
                            .live_n = live_n,
                            .checker = MIN(checker, maxlive)};
}

/* pmm_trace_set_order - free in @order from now on.  PMM_FREE_FIFO needs
 * @queue and @rank, two caller arrays of maxlive entries, no live blocks
 * yet and no checkerboard (its frees are not the oldest); the others take
 * NULL. */
static inline void pmm_trace_set_order(struct pmm_trace *t,
                                       enum pmm_free_order order,
                                       uint32_t *queue, uint32_t *rank)
{
    t->order = order;
    t->queue = queue;
    t->rank = rank;
    t->oldest = 0;
}

static inline uint32_t pmm_trace_size(struct pmm_trace *t)
{
    uint32_t r = pmm_rand_below(&t->rng, 100), i = 0;
    while (i + 1 < PMM_TRACE_BUCKETS && r >= t->mix->pct[i]) {
        r -= t->mix->pct[i++];
    }
    uint32_t span = t->mix->hi[i] - t->mix->lo[i] + 1;
    return t->mix->lo[i] + pmm_rand_below(&t->rng, span);
}

static inline struct pmm_trace_op pmm_trace_alloc(struct pmm_trace *t,
                                                  uint32_t n)
{
    t->live_n[t->nlive] = n;
    t->held += n;
    if (t->queue != NULL) {
        uint32_t at = (t->oldest + t->nlive) % t->maxlive;
        t->queue[at] = t->nlive;
        t->rank[t->nlive] = at;
    }
    return (struct pmm_trace_op){.is_free = 0, .slot = t->nlive++, .n = n};
}

/* pmm_trace_free - the op freeing live slot @s (the last slot moves in). */
static inline struct pmm_trace_op pmm_trace_free(struct pmm_trace *t,
                                                 uint32_t s)
{
    struct pmm_trace_op op = {.is_free = 1, .slot = s, .n = t->live_n[s]};
    t->held -= op.n;
    t->live_n[s] = t->live_n[--t->nlive];
    if (t->queue != NULL) {
        t->queue[t->rank[t->nlive]] = s;
        t->rank[s] = t->rank[t->nlive];
    }
    return op;
}

/* pmm_trace_pick - the live slot a steady-state free gives back. */
static inline uint32_t pmm_trace_pick(struct pmm_trace *t)
{
    if (t->order == PMM_FREE_LIFO) {
        return t->nlive - 1;
    }
    if (t->order == PMM_FREE_FIFO) {
        uint32_t s = t->queue[t->oldest];
        t->oldest = (t->oldest + 1) % t->maxlive;
        return s;
    }
    return pmm_rand_below(&t->rng, t->nlive);
}

/* pmm_trace_next - the next op. */
static inline struct pmm_trace_op pmm_trace_next(struct pmm_trace *t)
{
    if (t->checker > 0) {
        struct pmm_trace_op op = pmm_trace_alloc(t, 1);
        if (--t->checker == 0) {
            t->unpick = ((t->nlive - 1) & ~1u) + 1; /* top even slot + 1 */
        }
        return op;
    }
    if (t->unpick > 0) {
        /* Going down, a free of slot s only moves a higher (odd) slot into
         * s, so the lower even slots still hold their original blocks. */
        uint32_t s = t->unpick - 1;
        t->unpick = s >= 2 ? s - 1 : 0;
        return pmm_trace_free(t, s);
    }
    uint32_t dice = pmm_rand_below(&t->rng, 4);
    bool want_free = t->held >= t->target ? dice != 0 : dice == 0;
    if (t->nlive > 0 && (want_free || t->nlive == t->maxlive)) {
        return pmm_trace_free(t, pmm_trace_pick(t));
    }
    return pmm_trace_alloc(t, pmm_trace_size(t));
}

/* struct pmm_replay - a replayer's live blocks (NULL: the alloc failed). */
struct pmm_replay {
    struct Page **blk; /* maxlive entries, as the generator's */
    uint32_t nlive;
    uint32_t allocs, failed;
};

/* pmm_replay_unlink - the block free op @op gives back (NULL when its
 * alloc failed: nothing to free), taken out of the live slots. */
static __always_inline struct Page *
pmm_replay_unlink(struct pmm_replay *r, const struct pmm_trace_op *op)
{
    struct Page *p = r->blk[op->slot];
    r->blk[op->slot] = r->blk[--r->nlive];
    return p;
}

/* pmm_replay_record - note the answer @p of an alloc op (NULL: failed). */
static __always_inline void pmm_replay_record(struct pmm_replay *r,
                                              struct Page *p)
{
    r->blk[r->nlive++] = p;
    r->allocs++;
    r->failed += p == NULL;
}

/* pmm_trace_replay_on - run @count ops against one instance of a manager,
 * calling its own functions (@alloc_fn, @free_fn: its .pool members) with
 * its state @st: the algorithm alone, no front end. */
static __always_inline void
pmm_trace_replay_on(struct pmm_replay *r, const struct pmm_trace_op *ops,
                    uint32_t count, struct pmm_state *st,
                    struct Page *(*alloc_fn)(struct pmm_state *, size_t),
                    void (*free_fn)(struct pmm_state *, struct Page *, size_t))
{
    for (const struct pmm_trace_op *op = ops; op != ops + count; op++) {
        if (op->is_free) {
            struct Page *p = pmm_replay_unlink(r, op);
            if (p != NULL) {
                free_fn(st, p, op->n);
            }
        } else {
            pmm_replay_record(r, alloc_fn(st, op->n));
        }
    }
}

/* pmm_trace_replay - run @count ops against the front ends alloc_pages /
 * free_pages (the kernel pool, or the host shim's instance). */
static inline void pmm_trace_replay(struct pmm_replay *r,
                                    const struct pmm_trace_op *ops,
                                    uint32_t count)
{
    for (const struct pmm_trace_op *op = ops; op != ops + count; op++) {
        if (op->is_free) {
            struct Page *p = pmm_replay_unlink(r, op);
            if (p != NULL) {
                free_pages(p, op->n);
            }
        } else {
            pmm_replay_record(r, alloc_pages(op->n));
        }
    }
}

#endif /* !KERN_MM_PMM_TRACE_H */
