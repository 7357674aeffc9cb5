/*
 * diff.c -- fast_ff must place every block exactly where linear first-fit
 * (default) does.  Both replay the same pmm_trace; the first run records the
 * page number of every alloc (or NULL), the second must match call for call.
 * Traces: the realistic mix at half occupancy, freeing at random, newest
 * first (LIFO) and oldest first (FIFO); large blocks at 95% occupancy,
 * where many requests fail; and, up to 32768 pages (default is too slow
 * beyond), the checkerboard opening followed by the realistic mix.
 *
 * Each trace also counts how often fast_ff moves its blocks between its
 * list and its index (its rule applied to the free runs of the reference
 * run, which are its blocks); with "switch" the run fails unless that
 * happened both ways.
 *
 * usage: diff [ops [npage [switch]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "view.h"
#include <pmm_trace.h>

#define NO_BLOCK SIZE_MAX

struct run {
    struct pmm_trace_op *ops;
    size_t nops;
    size_t *got; /* per op: ppn of the alloc, NO_BLOCK for NULL or a free */
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fprintf(stderr, "diff: out of memory\n");
        exit(2);
    }
    return p;
}

/* struct workload - what a trace draws from. */
struct workload {
    const char *what;
    const struct pmm_trace_mix *mix;
    unsigned pct; /* occupancy, percent of usable memory */
    bool checker; /* open with the checkerboard */
    enum pmm_free_order order;
    uint32_t seed;
};

/* make_trace - @nops ops of @w. */
static void make_trace(struct run *r, size_t nops, const struct workload *w)
{
    uint32_t maxlive = host_layout.usable;
    uint32_t *live_n = xmalloc(3 * maxlive * sizeof(*live_n));
    struct pmm_trace t;
    pmm_trace_init(&t, w->seed, w->mix, host_layout.usable / 100 * w->pct,
                   live_n, maxlive, w->checker ? maxlive : 0);
    bool fifo = w->order == PMM_FREE_FIFO;
    pmm_trace_set_order(&t, w->order, fifo ? live_n + maxlive : NULL,
                        fifo ? live_n + 2 * maxlive : NULL);
    r->ops = xmalloc(nops * sizeof(*r->ops));
    r->got = xmalloc(nops * sizeof(*r->got));
    r->nops = nops;
    for (size_t i = 0; i < nops; i++) {
        r->ops[i] = pmm_trace_next(&t);
    }
    free(live_n);
}

/* replay - run the trace on @hp; record into r->got (@record) and, with
 * a view of the free blocks, fast_ff's switches into @mode; or compare
 * with r->got.  Returns the number of mismatches (it stops at the
 * first). */
static size_t replay(struct run *r, const struct host_pmm *hp, bool record,
                     size_t *nulls, struct ff_mode *mode)
{
    struct view v;
    size_t np = host_layout.npage;
    host_setup(hp->m, np, HOST_QUIET);
    view_init(&v, hp->rule, false);
    struct Page **blk = xmalloc(host_layout.usable * sizeof(*blk));
    size_t nlive = 0;
    *nulls = 0;
    for (size_t i = 0; i < r->nops; i++) {
        const struct pmm_trace_op *op = &r->ops[i];
        size_t got = NO_BLOCK;
        if (op->is_free) {
            struct Page *p = blk[op->slot];
            blk[op->slot] = blk[--nlive];
            if (p != NULL) {
                free_pages(p, op->n);
                view_record(&v, p, op->n, false);
            }
        } else {
            struct Page *p = alloc_pages(op->n);
            blk[nlive++] = p;
            if (p != NULL) {
                view_record(&v, p, op->n, true);
            }
            got = p == NULL ? NO_BLOCK : (size_t)(p - pages);
            *nulls += p == NULL;
        }
        if (!record && got != r->got[i]) {
            fprintf(stderr,
                    "diff: op %zu alloc_pages(%u): %s gave ppn %zd, "
                    "default gave %zd\n",
                    i, op->n, hp->name, (ssize_t)got, (ssize_t)r->got[i]);
            free(blk);
            view_destroy(&v);
            return 1;
        }
        r->got[i] = got;
        if (record) {
            ff_mode_note(mode, v.nruns);
        }
    }
    free(blk);
    view_destroy(&v);
    return 0;
}

/* compare - fast_ff against default on @nops ops of @w over @np pages;
 * adds fast_ff's switches between list and index to @switches[0] (to the
 * index) and [1] (back to the list).  Returns whether they differed. */
static int compare(size_t nops, size_t np, const struct workload *w,
                   size_t switches[2])
{
    const struct host_pmm *ref = host_pmm_find("default");
    const struct host_pmm *fast = host_pmm_find("fast_ff");
    struct run r;
    struct ff_mode mode = {false, 0, 0};
    size_t nulls, nulls2;
    host_setup(ref->m, np, HOST_QUIET);
    make_trace(&r, nops, w);
    replay(&r, ref, true, &nulls, &mode);
    size_t bad = replay(&r, fast, false, &nulls2, NULL);
    printf("diff %s, %zu pages, %zu ops (%zu allocs failed; fast_ff's "
           "blocks to the index %zu times, back to the list %zu): fast_ff %s "
           "default\n",
           w->what, np, nops, nulls, mode.to_index, mode.to_list,
           bad ? "DIFFERS FROM" : "==");
    switches[0] += mode.to_index;
    switches[1] += mode.to_list;
    free(r.ops);
    free(r.got);
    host_teardown();
    return bad != 0;
}

#define REAL (&pmm_mix_realistic)
static const struct workload workloads[] = {
    {"realistic 50%", REAL, 50, false, PMM_FREE_RANDOM, 1},
    {"realistic 50% LIFO", REAL, 50, false, PMM_FREE_LIFO, 4},
    {"realistic 50% FIFO", REAL, 50, false, PMM_FREE_FIFO, 5},
    {"large 95%", &pmm_mix_large, 95, false, PMM_FREE_RANDOM, 2},
    {"checkerboard, then realistic 50%", REAL, 50, true, PMM_FREE_RANDOM, 3},
};

int main(int argc, char **argv)
{
    size_t nops = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    size_t np = argc > 2 ? (size_t)atol(argv[2]) : 32768;
    bool must_switch = argc > 3 && strcmp(argv[3], "switch") == 0;
    int fail = 0;
    size_t switches[2] = {0, 0};
    for (size_t i = 0; i < ARRAY_SIZE(workloads); i++) {
        if (!workloads[i].checker || np <= 32768) {
            fail |= compare(nops, np, &workloads[i], switches);
        }
    }
    if (must_switch && (switches[0] == 0 || switches[1] == 0)) {
        fprintf(stderr, "diff: the traces never moved fast_ff's blocks %s\n",
                switches[0] == 0 ? "to the index" : "back to the list");
        fail = 1;
    }
    return fail;
}
