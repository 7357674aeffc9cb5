/*
 * bench_kmalloc.c -- kmalloc on the host (-O2 -m32, as in the kernel):
 * speed and memory overhead on pre-generated traces, over every page
 * manager.  Each trace is generated once and replayed unchanged for every
 * manager: a steady state around a number of live objects (an op
 * allocates with probability 1 - live / (2 * target)), frees of random
 * live objects.
 *
 * Speed: ns per call (kmalloc or kfree), CPU time, of the fastest of
 * KB_REPS timed replays, each on a fresh memory whose backing was touched
 * beforehand (so no page fault is timed) and a fresh kmalloc_init.  Overhead,
 * from a separate untimed replay sampled every KB_SAMPLE calls: bytes held from
 * the page allocator (pages not free, times PGSIZE) per byte the live
 * objects asked for, its mean over the second half of the trace and its
 * value at the sample where the bytes asked for peak; and the size-class
 * share of it, kmalloc_usage().bytes per byte asked for (mean).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_kmalloc.h"
#include "managers.h"
#include <kmalloc.h>
#include <pmm_trace.h>

#define KB_NPAGE  16384 /* 64 MiB: no trace comes near running out */
#define KB_CALLS  1000000
#define KB_REPS   5
#define KB_SAMPLE 1000

struct kb_op {
    uint32_t size; /* bytes to kmalloc, or 0: kfree the live object slot */
    uint32_t slot;
};

struct kb_trace {
    const char *name;
    uint32_t (*size)(uint32_t *rng);
    uint32_t target; /* live objects in steady state */
    uint32_t seed;
};

/* small_size - 5 .. 1024 bytes, log-uniform: each power-of-two range
 * (2^(k-1), 2^k] for k = 3 .. 10 equally likely, uniform inside it. */
static uint32_t small_size(uint32_t *rng)
{
    uint32_t top = 8u << pmm_rand_below(rng, 8);
    return top / 2 + 1 + pmm_rand_below(rng, top / 2);
}

/* mixed_size - 85% small_size, 10% 1025 .. 4096, 5% 4097 .. 16384. */
static uint32_t mixed_size(uint32_t *rng)
{
    uint32_t r = pmm_rand_below(rng, 100);
    if (r < 85) {
        return small_size(rng);
    }
    return r < 95 ? 1025 + pmm_rand_below(rng, 3072)
                  : 4097 + pmm_rand_below(rng, 12288);
}

static uint32_t size_64(uint32_t *rng)
{
    (void)rng;
    return 64;
}

static const struct kb_trace kb_traces[] = {
    {"64 bytes", size_64, 50000, 31},
    {"small 5-1024", small_size, 20000, 32},
    {"mixed 5-16384", mixed_size, 10000, 33},
};
#define KB_NTRACE ARRAY_SIZE(kb_traces)

struct kb_result {
    double ns;         /* per call */
    double held_mean;  /* held / requested, second half */
    double held_peak;  /* held / requested when requested peaks */
    double class_mean; /* kmalloc_usage().bytes / requested, second half */
    double peak_mib;   /* requested at its peak */
};

/* kb_make - the ops of @t; *@maxlive gets the most objects ever live. */
static struct kb_op *kb_make(const struct kb_trace *t, uint32_t *maxlive)
{
    struct kb_op *ops = malloc(KB_CALLS * sizeof(*ops));
    if (ops == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    uint32_t rng = t->seed, live = 0;
    *maxlive = 0;
    for (uint32_t i = 0; i < KB_CALLS; i++) {
        if (live == 0 || pmm_rand_below(&rng, 2 * t->target) >= live) {
            ops[i] = (struct kb_op){.size = t->size(&rng), .slot = live++};
            *maxlive = live > *maxlive ? live : *maxlive;
        } else {
            ops[i] =
                (struct kb_op){.size = 0, .slot = pmm_rand_below(&rng, live--)};
        }
    }
    return ops;
}

/* kb_fresh - a fresh memory under manager @m, its backing touched, and a
 * fresh kmalloc. */
static void kb_fresh(const struct pmm_manager *m)
{
    host_setup(m, KB_NPAGE, HOST_BACKING | HOST_QUIET);
    memset((void *)(uintptr_t)KERNBASE, 0, (size_t)KB_NPAGE * PGSIZE);
    kmalloc_init();
}

/* kb_step - replay op @op on @obj (@nlive live); a NULL kmalloc aborts. */
static inline void kb_step(const struct kb_op *op, void **obj, uint32_t *nlive)
{
    if (op->size == 0) {
        kfree(obj[op->slot]);
        obj[op->slot] = obj[--*nlive];
    } else if ((obj[(*nlive)++] = kmalloc(op->size)) == NULL) {
        fprintf(stderr, "bench: kmalloc(%u) failed\n", (unsigned)op->size);
        exit(2);
    }
}

/* kb_now - the process's CPU time: a replay is short (~0.1 s), and on a
 * shared machine its wall time is mostly other processes' turns. */
static double kb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* kb_time - ns per call of the fastest of KB_REPS replays under @m. */
static double kb_time(const struct pmm_manager *m, const struct kb_op *ops,
                      void **obj)
{
    double best = 0;
    for (int rep = 0; rep < KB_REPS; rep++) {
        kb_fresh(m);
        uint32_t nlive = 0;
        double start = kb_now();
        for (uint32_t i = 0; i < KB_CALLS; i++) {
            kb_step(&ops[i], obj, &nlive);
        }
        double secs = kb_now() - start;
        best = rep == 0 || secs < best ? secs : best;
    }
    return best / KB_CALLS * 1e9;
}

/* kb_measure - the overhead figures of @res from an untimed replay. */
static void kb_measure(const struct pmm_manager *m, const struct kb_op *ops,
                       void **obj, uint32_t *len, struct kb_result *res)
{
    kb_fresh(m);
    size_t start_free = nr_free_pages();
    uint32_t nlive = 0, samples = 0;
    double requested = 0, peak = 0, held_sum = 0, class_sum = 0;
    for (uint32_t i = 0; i < KB_CALLS; i++) {
        const struct kb_op *op = &ops[i];
        requested += op->size ? (double)op->size : -(double)len[op->slot];
        if (op->size == 0) {
            len[op->slot] = len[nlive - 1];
        } else {
            len[nlive] = op->size;
        }
        kb_step(op, obj, &nlive);
        if (i % KB_SAMPLE != 0 || requested == 0) {
            continue;
        }
        double held = (double)(start_free - nr_free_pages()) * PGSIZE;
        if (requested > peak) {
            peak = requested;
            res->held_peak = held / requested;
        }
        if (i >= KB_CALLS / 2) {
            held_sum += held / requested;
            class_sum += kmalloc_usage().bytes / requested;
            samples++;
        }
    }
    res->held_mean = held_sum / samples;
    res->class_mean = class_sum / samples;
    res->peak_mib = peak / (1 << 20);
}

#define KB_MAX_PMMS 16

static void kb_table(FILE *f, struct kb_result res[][KB_MAX_PMMS])
{
    fprintf(f, "| trace | live objects | manager | ns/call | Mcalls/s | "
               "held/requested (mean) | held/requested (at peak) | "
               "size classes: allocated/requested | peak requested MiB |\n");
    fprintf(f, "|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (size_t t = 0; t < KB_NTRACE; t++) {
        for (size_t m = 0; m < host_npmms; m++) {
            const struct kb_result *r = &res[t][m];
            fprintf(f,
                    "| %s | ~%u | %s | %.1f | %.2f | %.3f | %.3f | %.3f | "
                    "%.2f |\n",
                    kb_traces[t].name, (unsigned)kb_traces[t].target,
                    host_pmms[m].name, r->ns, 1e3 / r->ns, r->held_mean,
                    r->held_peak, r->class_mean, r->peak_mib);
        }
    }
}

static void kb_notes(FILE *f)
{
    fprintf(
        f,
        "\n- Memory: %d pages (64 MiB) under each page manager; kmalloc "
        "compiled unchanged (kern/mm/pmm/kmalloc.c), its slab and large "
        "pages taken through the front ends (alloc_pages, pmm_guard). "
        "Traces: %d calls each, generated once (xorshift32, fixed seeds) and "
        "replayed for every manager; an op allocates with probability "
        "1 - live / (2 x target), else frees a random live object. "
        "small: log-uniform sizes 5-1024 (each range (2^(k-1), 2^k], k = "
        "3..10, equally likely); mixed: 85%% small, 10%% 1025-4096, 5%% "
        "4097-16384 bytes.\n"
        "- ns/call: one kmalloc or kfree, in CPU time (the process's: a "
        "replay takes ~0.1 s, whose wall time on a loaded machine is mostly "
        "other processes'), the fastest of %d timed replays "
        "on a fresh memory (its backing touched first, so no page fault is "
        "timed) and a fresh kmalloc_init.\n"
        "- held/requested: bytes of the pages kmalloc holds (pages not free "
        "in the page allocator x 4096) per byte the live objects asked for, "
        "sampled every %d calls of a separate, untimed replay: the mean "
        "over the second half, and the value at the sample where the bytes "
        "asked for peak. allocated/requested: kmalloc_usage().bytes (size "
        "classes, whole pages for large objects) per byte asked for, mean "
        "over the second half: the part of the overhead that is rounding; "
        "the rest is slab headers, the unused tail of each slab page, "
        "partial slabs and the one empty slab each cache keeps. Every "
        "kmalloc succeeds, so kmalloc holds the same pages whichever "
        "manager supplies them: the manager changes the speed only.\n",
        KB_NPAGE, KB_CALLS, KB_REPS, KB_SAMPLE);
}

void bench_kmalloc(FILE *md)
{
    static struct kb_result res[KB_NTRACE][KB_MAX_PMMS];
    if (host_npmms > KB_MAX_PMMS) {
        fprintf(stderr, "bench: too many managers\n");
        exit(2);
    }
    for (size_t t = 0; t < KB_NTRACE; t++) {
        uint32_t maxlive;
        struct kb_op *ops = kb_make(&kb_traces[t], &maxlive);
        void **obj = malloc(maxlive * sizeof(*obj));
        uint32_t *len = malloc(maxlive * sizeof(*len));
        if (obj == NULL || len == NULL) {
            fprintf(stderr, "bench: out of memory\n");
            exit(2);
        }
        for (size_t m = 0; m < host_npmms; m++) {
            res[t][m].ns = kb_time(host_pmms[m].m, ops, obj);
            kb_measure(host_pmms[m].m, ops, obj, len, &res[t][m]);
        }
        free(len);
        free(obj);
        free(ops);
    }
    host_teardown();
    printf("\nkmalloc\n");
    kb_table(stdout, res);
    fprintf(md, "\n## kmalloc (host, -O2 -m32)\n\n");
    kb_table(md, res);
    kb_notes(md);
}
