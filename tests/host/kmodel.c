/*
 * kmodel.c -- a million random kmalloc/kfree calls on one page allocator,
 * each checked by the harness's view of kmalloc (kview.h): no two live
 * objects overlap, each is aligned as kmalloc.h promises and lies in pages
 * the page allocator has handed out, its bytes keep their own pattern
 * until it is freed, and the counts agree.  Sizes run from 1 byte to five
 * pages, with 0 and impossible sizes now and then; frees take random live
 * objects.  Phases of FILL ops bias the calls towards allocating, steady or
 * freeing, under a cap on the bytes live that changes with them (one phase
 * in four has none, and runs memory out).  Every CHECKPOINT calls every
 * pattern is checked, everything is freed, kmalloc_reclaim() must give
 * every page back, and check_slab() must pass.
 *
 * usage: kmodel <manager> [calls [npage [seed]]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kview.h"
#include "managers.h"
#include <kmalloc.h>
#include <pmm_trace.h>

#define CHECKPOINT 100000
#define PHASE      5000

static uint32_t rng;

static size_t below(size_t n) { return pmm_rand_below(&rng, (uint32_t)n); }

/* request_size - mostly slab sizes (exact classes and odd sizes), some
 * around the largest class and a page, some of several pages, and rarely 0
 * or more than memory holds. */
static size_t request_size(void)
{
    uint32_t r = below(1000);
    if (r < 350) {
        return (size_t)8 << below(8); /* 8 .. 1024, exactly a class */
    }
    if (r < 700) {
        return 1 + below(1024);
    }
    if (r < 850) {
        return 1025 + below(PGSIZE - 1024); /* top class, one page */
    }
    if (r < 980) {
        return PGSIZE + 1 + below(4 * PGSIZE); /* 2 .. 5 pages */
    }
    if (r < 995) {
        return (1 + below(4)) * PGSIZE;
    }
    return r < 998 ? 0 : (npage + below(npage)) * PGSIZE;
}

/* checkpoint - every pattern intact; then, everything freed, every page
 * back, and kmalloc's own self-check passes. */
static void checkpoint(struct kview *kv)
{
    kview_check_patterns(kv);
    kview_free_all(kv);
    kview_expect_empty(kv);
    check_slab();
}

/* run - about @calls checked calls on the kview; returns the peak of live
 * objects. */
static size_t run(struct kview *kv, uint64_t calls)
{
    uint32_t bias = 2; /* out of 4: the chance to allocate */
    uint64_t whole = (uint64_t)host_layout.usable * PGSIZE, cap = whole / 2;
    uint64_t next_phase = PHASE, next_check = CHECKPOINT;
    size_t peak = 0;
    while (kv->calls < calls) {
        if (kv->calls >= next_phase) {
            next_phase += PHASE;
            bias = 1 + below(3); /* drain, steady, fill */
            uint32_t c = below(4);
            cap = c == 3 ? UINT64_MAX : whole * (1 + c) / 4;
        }
        bool grow = kv->requested < cap && below(4) < bias;
        if (kv->nlive > 0 && !grow) {
            kview_free(kv, below(kv->nlive));
        } else {
            kview_alloc(kv, request_size());
        }
        peak = kv->nlive > peak ? kv->nlive : peak;
        if (kv->calls >= next_check) {
            next_check += CHECKPOINT;
            checkpoint(kv);
        }
    }
    return peak;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kmodel <manager> [calls [npage [seed]]]\n");
        return 2;
    }
    const struct host_pmm *hp = host_pmm_find(argv[1]);
    uint64_t calls = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
    size_t np = argc > 3 ? (size_t)atol(argv[3]) : 4096;
    rng = argc > 4 ? (uint32_t)atol(argv[4]) : 20240611;

    clock_t start = clock();
    host_setup(hp->m, np, HOST_BACKING | HOST_QUIET);
    kmalloc_init();
    struct kview kv;
    kview_init(&kv);
    size_t peak = run(&kv, calls);
    checkpoint(&kv);
    printf("kmodel %s: %llu kmalloc/kfree calls on %zu pages, %llu NULL, "
           "peak %zu live objects, all checks passed (%.1f s)\n",
           hp->name, (unsigned long long)kv.calls, np,
           (unsigned long long)kv.nulls, peak,
           (double)(clock() - start) / CLOCKS_PER_SEC);
    kview_destroy(&kv);
    host_teardown();
    return 0;
}
