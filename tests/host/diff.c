/*
 * diff.c -- fast_ff must place every block exactly where linear first-fit
 * (default) does.  Both replay the same pmm_trace; the first run records the
 * page number of every alloc (or NULL), the second must match call for call.
 * Traces: the realistic mix at half occupancy; large blocks at 95%
 * occupancy, where many requests fail; and, up to 32768 pages (default is
 * too slow beyond), the checkerboard opening followed by the realistic mix.
 *
 * usage: diff [ops [npage]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "managers.h"
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

/* make_trace - @nops ops of @mix holding @pct percent of usable memory. */
static void make_trace(struct run *r, size_t nops,
                       const struct pmm_trace_mix *mix, unsigned pct,
                       bool checker, uint32_t seed)
{
    uint32_t maxlive = host_layout.usable;
    uint32_t *live_n = xmalloc(maxlive * sizeof(*live_n));
    struct pmm_trace t;
    pmm_trace_init(&t, seed, mix, host_layout.usable / 100 * pct, live_n,
                   maxlive, checker ? maxlive : 0);
    r->ops = xmalloc(nops * sizeof(*r->ops));
    r->got = xmalloc(nops * sizeof(*r->got));
    r->nops = nops;
    for (size_t i = 0; i < nops; i++) {
        r->ops[i] = pmm_trace_next(&t);
    }
    free(live_n);
}

/* replay - run the trace on @hp; record into r->got (@record) or compare
 * with it.  Returns the number of mismatches (it stops at the first). */
static size_t replay(struct run *r, const struct host_pmm *hp, bool record,
                     size_t *nulls)
{
    size_t np = host_layout.npage;
    host_setup(hp->m, np, HOST_QUIET);
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
            }
        } else {
            struct Page *p = alloc_pages(op->n);
            blk[nlive++] = p;
            got = p == NULL ? NO_BLOCK : (size_t)(p - pages);
            *nulls += p == NULL;
        }
        if (!record && got != r->got[i]) {
            fprintf(stderr,
                    "diff: op %zu alloc_pages(%u): %s gave ppn %zd, "
                    "default gave %zd\n",
                    i, op->n, hp->name, (ssize_t)got, (ssize_t)r->got[i]);
            free(blk);
            return 1;
        }
        r->got[i] = got;
    }
    free(blk);
    return 0;
}

static int compare(size_t nops, size_t np, const char *what,
                   const struct pmm_trace_mix *mix, unsigned pct, bool checker,
                   uint32_t seed)
{
    const struct host_pmm *ref = host_pmm_find("default");
    const struct host_pmm *fast = host_pmm_find("fast_ff");
    struct run r;
    size_t nulls, nulls2;
    host_setup(ref->m, np, HOST_QUIET);
    make_trace(&r, nops, mix, pct, checker, seed);
    replay(&r, ref, true, &nulls);
    size_t bad = replay(&r, fast, false, &nulls2);
    printf("diff %s, %zu pages, %zu ops (%zu allocs failed): fast_ff %s "
           "default\n",
           what, np, nops, nulls, bad ? "DIFFERS FROM" : "==");
    free(r.ops);
    free(r.got);
    host_teardown();
    return bad != 0;
}

int main(int argc, char **argv)
{
    size_t nops = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    size_t np = argc > 2 ? (size_t)atol(argv[2]) : 32768;
    int fail =
        compare(nops, np, "realistic 50%", &pmm_mix_realistic, 50, false, 1);
    fail |= compare(nops, np, "large 95%", &pmm_mix_large, 95, false, 2);
    if (np <= 32768) {
        fail |= compare(nops, np, "checkerboard, then realistic 50%",
                        &pmm_mix_realistic, 50, true, 3);
    }
    return fail;
}
