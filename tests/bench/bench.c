/*
 * bench.c -- every page allocator on the same pre-generated traces
 * (kern/mm/pmm_trace.h), in one run, so the ratios compare like with like.
 *
 * Per workload and manager: throughput (a timed replay of the whole trace,
 * best of BENCH_REPS), pages held per page requested, the largest free run
 * over all free pages (in the harness's own view, kept from the alloc/free
 * results) and the share of allocations that failed.  The last two are
 * averaged over samples taken every SAMPLE_EVERY ops in the second half of
 * a separate, untimed replay.
 *
 * usage: bench [outdir]   -> outdir/results.md, throughput.dat, frag.dat
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "view.h"
#include <pmm_trace.h>

#define BENCH_REPS   3
#define SAMPLE_EVERY 2000

struct workload {
    const char *name;
    size_t npage;
    const struct pmm_trace_mix *mix;
    unsigned pct; /* steady-state occupancy, percent of usable pages */
    bool checker; /* open with the checkerboard */
    uint32_t ops; /* after the checkerboard, if any */
    uint32_t seed;
};

static const struct workload workloads[] = {
    {"realistic", 32768, &pmm_mix_realistic, 50, false, 1000000, 11},
    {"realistic", 229376, &pmm_mix_realistic, 50, false, 1000000, 12},
    {"checkerboard", 32768, &pmm_mix_realistic, 50, true, 200000, 13},
    {"large 64-1024", 229376, &pmm_mix_large, 50, false, 1000000, 14},
    {"realistic 90%", 32768, &pmm_mix_realistic, 90, false, 1000000, 15},
};
#define NWORK (sizeof(workloads) / sizeof(workloads[0]))

struct result {
    double mops;
    double held_per_req; /* pages the manager holds / pages requested */
    double largest_frac; /* largest free run / free pages */
    double fail_frac;    /* failed allocs / allocs */
};

struct trace {
    struct pmm_trace_op *ops;
    uint32_t nops, maxlive;
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
    uint32_t *live_n = xmalloc(t.maxlive * sizeof(*live_n));
    struct pmm_trace gen;
    pmm_trace_init(&gen, w->seed, w->mix, host_layout.usable / 100 * w->pct,
                   live_n, t.maxlive, checker);
    t.nops = w->ops + checker + (checker + 1) / 2; /* fill, then free half */
    t.ops = xmalloc(t.nops * sizeof(*t.ops));
    for (uint32_t i = 0; i < t.nops; i++) {
        t.ops[i] = pmm_trace_next(&gen);
    }
    free(live_n);
    return t;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* timed - seconds for one replay of @t on a fresh memory of @hp. */
static double timed(const struct host_pmm *hp, size_t np, const struct trace *t)
{
    host_setup(hp->m, np, HOST_QUIET);
    struct pmm_replay r = {.blk = xmalloc(t->maxlive * sizeof(struct Page *))};
    double start = now();
    pmm_trace_replay(&r, t->ops, t->nops);
    double secs = now() - start;
    free(r.blk);
    return secs;
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

static void run_workload(const struct workload *w, struct result *res)
{
    host_setup(host_pmms[0].m, w->npage, HOST_QUIET);
    struct trace t = make_trace(w);
    for (size_t m = 0; m < host_npmms; m++) {
        double best = 0;
        for (int rep = 0; rep < BENCH_REPS; rep++) {
            double s = timed(&host_pmms[m], w->npage, &t);
            best = rep == 0 || s < best ? s : best;
        }
        res[m].mops = t.nops / best / 1e6;
        measure(&host_pmms[m], w->npage, &t, &res[m]);
    }
    free(t.ops);
}

static void print_table(FILE *f, struct result res[][16])
{
    fprintf(f,
            "| workload | pages | ops | manager | Mops/s | x %s | "
            "held/requested | largest free / free | failed allocs |\n",
            host_pmms[0].name);
    fprintf(f, "|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
    for (size_t w = 0; w < NWORK; w++) {
        const struct workload *wl = &workloads[w];
        for (size_t m = 0; m < host_npmms; m++) {
            const struct result *r = &res[w][m];
            fprintf(f,
                    "| %s | %zu | %u%s | %s | %.2f | %.2f | %.3f | %.3f "
                    "| %.2f%% |\n",
                    wl->name, wl->npage, wl->ops, wl->checker ? " + fill" : "",
                    host_pmms[m].name, r->mops, r->mops / res[w][0].mops,
                    r->held_per_req, r->largest_frac, 100 * r->fail_frac);
        }
    }
}

static void print_notes(FILE *f)
{
    fprintf(
        f,
        "\n- Each memory has pages/64 reserved at the bottom and a reserved "
        "hole of pages/64 in the middle (tests/host/shim.c); the rest is "
        "usable.\n"
        "- Traces come from kern/mm/pmm_trace.h (xorshift32, fixed seeds), "
        "generated once per workload and replayed unchanged for every manager. "
        "realistic: 70%% 1 page, 20%% 2-8, 10%% 9-256; large: 64-1024 pages; "
        "frees take random live blocks; steady state holds 50%% (90%% in the "
        "last workload) of the usable pages. checkerboard: first fill every "
        "usable page with 1-page blocks and free every other one.\n"
        "- Mops/s: ops / seconds of the fastest of %d timed replays through "
        "alloc_pages/free_pages (with the pmm_guard checks, as in the kernel). "
        "x %s: that over %s's Mops/s in this run.\n"
        "- held/requested: (usable - nr_free_pages()) / pages the live blocks "
        "asked for; largest free / free: the longest run of free pages in the "
        "harness's own bitmap over all free pages. Both are means of samples "
        "every %d ops in the second half of a separate, untimed replay.\n"
        "- failed allocs: alloc_pages calls that returned NULL, over the whole "
        "trace.\n",
        BENCH_REPS, host_pmms[0].name, host_pmms[0].name, SAMPLE_EVERY);
}

/* write_dat - one row per workload, one column per manager (gnuplot). */
static void write_dat(const char *path, struct result res[][16], int field)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fprintf(f, "workload");
    for (size_t m = 0; m < host_npmms; m++) {
        fprintf(f, " %s", host_pmms[m].name);
    }
    fputc('\n', f);
    for (size_t w = 0; w < NWORK; w++) {
        fprintf(f, "\"%s/%zuk\"", workloads[w].name, workloads[w].npage / 1024);
        for (size_t m = 0; m < host_npmms; m++) {
            const struct result *r = &res[w][m];
            fprintf(f, " %g", field == 0 ? r->mops : r->largest_frac);
        }
        fputc('\n', f);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    static struct result res[NWORK][16];
    if (host_npmms > 16) {
        fprintf(stderr, "bench: too many managers\n");
        return 2;
    }
    for (size_t w = 0; w < NWORK; w++) {
        run_workload(&workloads[w], res[w]);
    }
    host_teardown();
    print_table(stdout, res);
    char path[512];
    snprintf(path, sizeof(path), "%s/results.md", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    fprintf(f, "# Page allocator benchmark (host, -O2 -m32)\n\n");
    print_table(f, res);
    print_notes(f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/throughput.dat", dir);
    write_dat(path, res, 0);
    snprintf(path, sizeof(path), "%s/frag.dat", dir);
    write_dat(path, res, 1);
    return 0;
}
