/* traces.c -- the benchmark's reference strings (traces.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces.h"

const char *const trace_names[T_NKINDS] = {
    [T_LOOP] = "loop",         [T_UNIFORM] = "uniform", [T_ZIPF] = "zipf",
    [T_HOTSCAN] = "hot+scan",  [T_PHASES] = "phases",
};

/* splitmix64: small, fast, the same sequence everywhere. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double rng_unit(void) /* [0, 1) */
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng_unit() * (double)n);
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL) {
        fprintf(stderr, "replace: out of memory\n");
        exit(2);
    }
    return p;
}

static struct trace trace_alloc(const char *name, size_t n)
{
    struct trace t = {.n = n};
    snprintf(t.name, sizeof(t.name), "%s", name);
    t.page = xmalloc(n * sizeof(*t.page));
    t.write = xmalloc(n * sizeof(*t.write));
    return t;
}

/* push - append a reference, growing npages to cover it. */
static void push(struct trace *t, size_t *i, size_t page, bool write)
{
    t->page[*i] = (uint32_t)page;
    t->write[*i] = write;
    (*i)++;
    if (page >= t->npages) {
        t->npages = page + 1;
    }
}

/* zipf_cdf - the cumulative distribution of Zipf(@alpha) over @n ranks. */
static double *zipf_cdf(size_t n, double alpha)
{
    double *cdf = xmalloc(n * sizeof(*cdf)), sum = 0;
    for (size_t k = 0; k < n; k++) {
        cdf[k] = (sum += 1.0 / pow((double)(k + 1), alpha));
    }
    for (size_t k = 0; k < n; k++) {
        cdf[k] /= sum;
    }
    return cdf;
}

static size_t zipf_draw(const double *cdf, size_t n)
{
    double u = rng_unit();
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cdf[mid] < u) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The generators: @n references for @f frames, 30% of them writes. */
static void gen_loop(struct trace *t, size_t f)
{
    size_t len = f + f / 2, i = 0;
    while (i < t->n) {
        push(t, &i, i % len, rng_unit() < 0.3);
    }
}

static void gen_uniform(struct trace *t, size_t f)
{
    for (size_t i = 0; i < t->n;) {
        push(t, &i, rng_below(2 * f), rng_unit() < 0.3);
    }
}

/* Zipf alpha 1 over 8f pages, ranks scattered over the page numbers. */
static void gen_zipf(struct trace *t, size_t f)
{
    size_t n = 8 * f;
    double *cdf = zipf_cdf(n, 1.0);
    for (size_t i = 0; i < t->n;) {
        push(t, &i, (zipf_draw(cdf, n) * 7919) % n, rng_unit() < 0.3);
    }
    free(cdf);
}

/* A hot set of 3f/4 pages (30% writes), and every 12f references a
 * one-time read scan of 2f pages never seen before. */
static void gen_hotscan(struct trace *t, size_t f)
{
    size_t hot = 3 * f / 4, next_new = hot, i = 0;
    while (i < t->n) {
        for (size_t k = 0; k < 12 * f && i < t->n; k++) {
            push(t, &i, rng_below(hot), rng_unit() < 0.3);
        }
        for (size_t k = 0; k < 2 * f && i < t->n; k++) {
            push(t, &i, next_new++, false);
        }
    }
}

/* Working sets of 4f/5 pages, Zipf(0.8) within, moving by f/2 pages
 * every 25f references. */
static void gen_phases(struct trace *t, size_t f)
{
    size_t ws = 4 * f / 5, i = 0;
    double *cdf = zipf_cdf(ws, 0.8);
    for (size_t phase = 0; i < t->n; phase++) {
        for (size_t k = 0; k < 25 * f && i < t->n; k++) {
            push(t, &i, phase * (f / 2) + zipf_draw(cdf, ws), rng_unit() < 0.3);
        }
    }
    free(cdf);
}

struct trace trace_make(enum trace_kind kind, size_t nframes)
{
    static void (*const gen[T_NKINDS])(struct trace *, size_t) = {
        [T_LOOP] = gen_loop,       [T_UNIFORM] = gen_uniform, [T_ZIPF] = gen_zipf,
        [T_HOTSCAN] = gen_hotscan, [T_PHASES] = gen_phases,
    };
    size_t n = 400 * nframes < 50000 ? 50000 : 400 * nframes;
    struct trace t = trace_alloc(trace_names[kind], n);
    rng_state = 0x5eed0000u + 977u * (unsigned)kind + nframes;
    gen[kind](&t, nframes);
    return t;
}

struct trace trace_from(const char *name, const uint32_t *pages,
                        const bool *writes, size_t n)
{
    struct trace t = trace_alloc(name, n);
    for (size_t i = 0; i < n;) {
        bool w = writes != NULL && writes[i];
        push(&t, &i, pages[i], w);
    }
    return t;
}

/* renumber - map the recorded page names onto 0, 1, ... in their sorted
 * order (sorting a copy, then a binary search per reference). */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void renumber(struct trace *t, const uint64_t *names)
{
    uint64_t *sorted = xmalloc(t->n * sizeof(*sorted));
    memcpy(sorted, names, t->n * sizeof(*sorted));
    qsort(sorted, t->n, sizeof(*sorted), cmp_u64);
    size_t distinct = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (distinct == 0 || sorted[distinct - 1] != sorted[i]) {
            sorted[distinct++] = sorted[i];
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        uint64_t *hit = bsearch(&names[i], sorted, distinct, sizeof(*sorted), cmp_u64);
        t->page[i] = (uint32_t)(hit - sorted);
    }
    t->npages = distinct;
    free(sorted);
}

bool trace_load(const char *path, struct trace *t)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        return false;
    }
    size_t cap = 1024, n = 0;
    uint64_t *names = xmalloc(cap * sizeof(*names));
    bool *writes = xmalloc(cap * sizeof(*writes));
    char line[256], rw;
    unsigned long long name;
    while (fgets(line, sizeof(line), fp) != NULL) {
        if (line[0] == '#' || sscanf(line, "%lli %c", (long long *)&name, &rw) != 2) {
            continue;
        }
        if (n == cap) {
            cap *= 2;
            names = realloc(names, cap * sizeof(*names));
            writes = realloc(writes, cap * sizeof(*writes));
            if (names == NULL || writes == NULL) {
                fprintf(stderr, "replace: out of memory\n");
                exit(2);
            }
        }
        names[n] = name;
        writes[n++] = rw == 'w' || rw == 'W';
    }
    fclose(fp);
    const char *base = strrchr(path, '/');
    *t = trace_alloc(base ? base + 1 : path, n);
    memcpy(t->write, writes, n * sizeof(*writes));
    renumber(t, names);
    free(names);
    free(writes);
    if (n == 0) {
        trace_free(t);
    }
    return n > 0;
}

void trace_free(struct trace *t)
{
    free(t->page);
    free(t->write);
    t->page = NULL;
    t->write = NULL;
}
