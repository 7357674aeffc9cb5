/*
 * bench.c -- every page allocator on the same pre-generated traces
 * (kern/mm/check/pmm_trace.h), in one run, so the ratios compare like with
 * like.
 *
 * Per workload and manager: throughput of the manager's own alloc_pages /
 * free_pages on the shim's instance (the algorithm), and again through the
 * kernel's front ends (pmm_guard's checks, then the manager, as
 * kern/mm/pmm/pool.c calls it); each is the fastest of BENCH_REPS timed replays
 * of the whole trace.  Then pages held
 * per page requested, the largest free run over all free pages (in the
 * harness's own view, kept from the alloc/free results) and the share of
 * allocations that failed.  The first two are averaged over samples taken every
 * SAMPLE_EVERY ops in the second half of a separate, untimed replay.
 *
 * The replays are timed by the CPU time of the bench's thread, or with
 * BENCH_CLOCK=wall in the environment by the wall clock: on a machine
 * shared with other work a replay also waits for a CPU, and the longer it
 * runs the more it waits, which inflates the ratios of the fast managers
 * to the slow ones.
 *
 * usage: bench [outdir]   -> outdir/results.md, throughput.dat,
 *                            frontend.dat, frag.dat
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/host_out.h"
#include "bench_kmalloc.h"
#include "view.h"
#include <pmm_trace.h>

#define BENCH_REPS   3
#define BENCH_BUDGET 1.0 /* seconds of replays after which no more are run */
#define SAMPLE_EVERY 2000
#define MAX_PMMS     16

struct workload {
    const char *name;
    size_t npage;
    const struct pmm_trace_mix *mix;
    unsigned pct; /* steady-state occupancy, percent of usable pages */
    bool checker; /* open with the checkerboard */
    enum pmm_free_order order;
    uint32_t ops; /* after the checkerboard, if any */
    uint32_t seed;
};

#define REAL   (&pmm_mix_realistic)
#define RANDOM PMM_FREE_RANDOM
static const struct workload workloads[] = {
    {"realistic", 32768, REAL, 50, false, RANDOM, 1000000, 11},
    {"realistic", 229376, REAL, 50, false, RANDOM, 1000000, 12},
    {"checkerboard", 32768, REAL, 50, true, RANDOM, 200000, 13},
    {"checkerboard", 229376, REAL, 50, true, RANDOM, 100000, 16},
    {"large 64-1024", 229376, &pmm_mix_large, 50, false, RANDOM, 1000000, 14},
    {"realistic 90%", 32768, REAL, 90, false, RANDOM, 1000000, 15},
    {"realistic", 4096, REAL, 50, false, RANDOM, 1000000, 17},
    {"realistic LIFO", 4096, REAL, 50, false, PMM_FREE_LIFO, 1000000, 18},
    {"realistic FIFO", 4096, REAL, 50, false, PMM_FREE_FIFO, 1000000, 19},
    {"realistic LIFO", 32768, REAL, 50, false, PMM_FREE_LIFO, 1000000, 20},
    {"realistic FIFO", 32768, REAL, 50, false, PMM_FREE_FIFO, 1000000, 21},
};
#define NWORK ARRAY_SIZE(workloads)

struct result {
    double mops;         /* the manager's own functions */
    double mops_front;   /* through alloc_pages/free_pages (pmm_guard) */
    double held_per_req; /* pages the manager holds / pages requested */
    double largest_frac; /* largest free run / free pages */
    double fail_frac;    /* failed allocs / allocs */
};

struct trace {
    struct pmm_trace_op *ops;
    uint32_t nops, nfill, maxlive; /* nfill: the checkerboard's ops */
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    return p;
}

/* make_trace - the ops of @w for a memory laid out as host_layout is. */
static struct trace make_trace(const struct workload *w)
{
    struct trace t = {.maxlive = host_layout.usable};
    uint32_t checker = w->checker ? host_layout.usable : 0;
    uint32_t *live_n = xmalloc(3 * t.maxlive * sizeof(*live_n));
    struct pmm_trace gen;
    pmm_trace_init(&gen, w->seed, w->mix, host_layout.usable / 100 * w->pct,
                   live_n, t.maxlive, checker);
    bool fifo = w->order == PMM_FREE_FIFO;
    pmm_trace_set_order(&gen, w->order, fifo ? live_n + t.maxlive : NULL,
                        fifo ? live_n + 2 * t.maxlive : NULL);
    t.nfill = checker + (checker + 1) / 2; /* fill, then free half */
    t.nops = w->ops + t.nfill;
    t.ops = xmalloc(t.nops * sizeof(*t.ops));
    for (uint32_t i = 0; i < t.nops; i++) {
        t.ops[i] = pmm_trace_next(&gen);
    }
    free(live_n);
    return t;
}

/* cpu_clock - whether the replays are timed by CPU time (the default)
 * rather than by the wall clock (BENCH_CLOCK=wall). */
static bool cpu_clock(void)
{
    const char *c = getenv("BENCH_CLOCK");
    return c == NULL || strcmp(c, "wall") != 0;
}

/* now - seconds on the clock the replays are timed by: the CPU time of
 * this thread (a replay's time is its own, however busy the machine), or
 * the wall clock. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(cpu_clock() ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC,
                  &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The ucore members of a manager written the handout's way, shaped like
 * .pool's (its one instance needs no state). */
static struct Page *handout_alloc(struct pmm_state *st, size_t n)
{
    (void)st;
    return host_manager->alloc_pages(n);
}

static void handout_free(struct pmm_state *st, struct Page *base, size_t n)
{
    (void)st;
    host_manager->free_pages(base, n);
}

/* timed - seconds for one replay of @t on a fresh memory of @np pages,
 * calling the instance of @hp's manager directly or (@front) through the
 * front ends. */
static double timed(const struct host_pmm *hp, size_t np, const struct trace *t,
                    bool front)
{
    host_setup(hp->m, np, HOST_QUIET);
    struct pmm_replay r = {.blk = xmalloc(t->maxlive * sizeof(struct Page *))};
    bool per_pool = pmm_per_pool(hp->m);
    double start = now();
    if (front) {
        pmm_trace_replay(&r, t->ops, t->nops);
    } else {
        pmm_trace_replay_on(&r, t->ops, t->nops, host_state,
                            per_pool ? hp->m->pool.alloc_pages : handout_alloc,
                            per_pool ? hp->m->pool.free_pages : handout_free);
    }
    double secs = now() - start;
    free(r.blk);
    return secs;
}

/* best_mops - the throughput of the fastest of BENCH_REPS replays, or of
 * fewer once they have taken BENCH_BUDGET seconds (a slow replay is long
 * enough for its own noise not to matter). */
static double best_mops(const struct host_pmm *hp, size_t np,
                        const struct trace *t, bool front)
{
    double best = 0, spent = 0;
    for (int rep = 0; rep < BENCH_REPS && spent < BENCH_BUDGET; rep++) {
        double s = timed(hp, np, t, front);
        best = rep == 0 || s < best ? s : best;
        spent += s;
    }
    return t->nops / best / 1e6;
}

/* measure - replay @t op by op, keeping the view, and fill in @res. */
static void measure(const struct host_pmm *hp, size_t np, const struct trace *t,
                    struct result *res)
{
    host_setup(hp->m, np, HOST_QUIET);
    struct view v;
    view_init(&v, hp->rule, false);
    struct pmm_replay r = {.blk = xmalloc(t->maxlive * sizeof(struct Page *))};
    double held_sum = 0, largest_sum = 0, requested = 0;
    unsigned samples = 0;
    for (uint32_t i = 0; i < t->nops; i++) {
        const struct pmm_trace_op *op = &t->ops[i];
        struct Page *freed = op->is_free ? r.blk[op->slot] : NULL;
        pmm_trace_replay(&r, op, 1);
        struct Page *got = op->is_free ? NULL : r.blk[r.nlive - 1];
        if (freed != NULL || got != NULL) {
            view_record(&v, freed != NULL ? freed : got, op->n, got != NULL);
            requested += got != NULL ? op->n : -(double)op->n;
        }
        if (i >= t->nops / 2 && i % SAMPLE_EVERY == 0 && v.nfree > 0) {
            held_sum += (host_layout.usable - nr_free_pages()) / requested;
            largest_sum += (double)view_largest_run(&v) / v.nfree;
            samples++;
        }
    }
    res->held_per_req = held_sum / samples;
    res->largest_frac = largest_sum / samples;
    res->fail_frac = r.allocs ? (double)r.failed / r.allocs : 0;
    view_destroy(&v);
    free(r.blk);
}

/* run_workload - measure every manager on @w; returns the checkerboard's
 * share of the trace (ops). */
static uint32_t run_workload(const struct workload *w, struct result *res)
{
    host_setup(host_pmms[0].m, w->npage, HOST_QUIET);
    struct trace t = make_trace(w);
    for (size_t m = 0; m < host_npmms; m++) {
        res[m].mops = best_mops(&host_pmms[m], w->npage, &t, false);
        res[m].mops_front = best_mops(&host_pmms[m], w->npage, &t, true);
        measure(&host_pmms[m], w->npage, &t, &res[m]);
    }
    free(t.ops);
    return t.nfill;
}

static void print_table(FILE *f, struct result res[][MAX_PMMS],
                        const uint32_t *nfill)
{
    const char *ref = host_pmms[0].name;
    fprintf(f,
            "| workload | pages | ops | manager | Mops/s | x %s | "
            "via front end (pmm_guard) Mops/s | via front end x %s | "
            "held/requested | largest free / free | failed allocs |\n",
            ref, ref);
    fprintf(f, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t w = 0; w < NWORK; w++) {
        const struct workload *wl = &workloads[w];
        char ops[48];
        snprintf(ops, sizeof(ops), nfill[w] ? "%u + %u fill" : "%u", wl->ops,
                 nfill[w]);
        for (size_t m = 0; m < host_npmms; m++) {
            const struct result *r = &res[w][m], *r0 = &res[w][0];
            fprintf(f,
                    "| %s | %zu | %s | %s | %.2f | %.2f | %.2f | %.2f | %.3f "
                    "| %.3f | %.2f%% |\n",
                    wl->name, wl->npage, ops, host_pmms[m].name, r->mops,
                    r->mops / r0->mops, r->mops_front,
                    r->mops_front / r0->mops_front, r->held_per_req,
                    r->largest_frac, 100 * r->fail_frac);
        }
    }
}

static void print_notes(FILE *f)
{
    const char *ref = host_pmms[0].name;
    fprintf(
        f,
        "\n- Each memory has pages/64 reserved at the bottom and a reserved "
        "hole of pages/64 in the middle (tests/host/shim.c); the rest is "
        "usable.\n"
        "- Traces come from kern/mm/check/pmm_trace.h (xorshift32, fixed "
        "seeds), "
        "generated once per workload and replayed unchanged for every manager. "
        "realistic: 70%% 1 page, 20%% 2-8, 10%% 9-256; large: 64-1024 pages; "
        "frees take random live blocks (LIFO: the newest, FIFO: the oldest); "
        "steady state holds 50%% (90%% in \"realistic 90%%\") of the usable "
        "pages. checkerboard: first fill every usable page with 1-page blocks "
        "and free every other one (the \"fill\" ops, timed with the rest).\n"
        "- Mops/s: ops / seconds (%s) of the fastest of %d timed replays "
        "(fewer once they have taken %.0f s) calling the manager's own "
        "alloc_pages/free_pages on its one instance "
        "(m->pool.alloc_pages(state, n), ...): the algorithms compared. "
        "x %s: that over %s's Mops/s in this run.\n"
        "- via front end: the same through the kernel's alloc_pages/"
        "free_pages, i.e. with the pmm_guard checks, whose scan of the freed "
        "range for reserved pages costs every manager the same O(n) and so "
        "narrows the ratios.\n"
        "- held/requested: (usable - nr_free_pages()) / pages the live blocks "
        "asked for; largest free / free: the longest run of free pages in the "
        "harness's own bitmap over all free pages. Both are means of samples "
        "every %d ops in the second half of a separate, untimed replay.\n"
        "- failed allocs: alloc_pages calls that returned NULL, over the whole "
        "trace.\n",
        cpu_clock() ? "CPU time of the bench's thread" : "wall clock, BENCH_CLOCK=wall", BENCH_REPS,
        BENCH_BUDGET, ref, ref, SAMPLE_EVERY);
}

/* The columns write_dat can write. */
enum dat_field { DAT_MOPS, DAT_MOPS_FRONT, DAT_LARGEST };

static double field_of(const struct result *r, enum dat_field field)
{
    switch (field) {
    case DAT_MOPS:
        return r->mops;
    case DAT_MOPS_FRONT:
        return r->mops_front;
    default:
        return r->largest_frac;
    }
}

/* write_dat - one row per workload, one column per manager (gnuplot). */
static void write_dat(const char *dir, const char *name,
                      struct result res[][MAX_PMMS], enum dat_field field)
{
    FILE *f = host_open_out(dir, name);
    fprintf(f, "workload");
    for (size_t m = 0; m < host_npmms; m++) {
        fprintf(f, " %s", host_pmms[m].name);
    }
    fputc('\n', f);
    for (size_t w = 0; w < NWORK; w++) {
        fprintf(f, "\"%s/%zuk\"", workloads[w].name, workloads[w].npage / 1024);
        for (size_t m = 0; m < host_npmms; m++) {
            fprintf(f, " %g", field_of(&res[w][m], field));
        }
        fputc('\n', f);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    static struct result res[NWORK][MAX_PMMS];
    uint32_t nfill[NWORK];
    if (host_npmms > MAX_PMMS) {
        fprintf(stderr, "bench: too many managers\n");
        return 2;
    }
    for (size_t w = 0; w < NWORK; w++) {
        nfill[w] = run_workload(&workloads[w], res[w]);
    }
    host_teardown();
    print_table(stdout, res, nfill);
    FILE *f = host_open_out(dir, "results.md");
    fprintf(f, "# Page allocator benchmark (host, -O2 -m32)\n\n");
    print_table(f, res, nfill);
    print_notes(f);
    bench_kmalloc(f);
    fclose(f);
    write_dat(dir, "throughput.dat", res, DAT_MOPS);
    write_dat(dir, "frontend.dat", res, DAT_MOPS_FRONT);
    write_dat(dir, "frag.dat", res, DAT_LARGEST);
    return 0;
}
