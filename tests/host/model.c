/*
 * model.c -- a million random operations against one page allocator, each
 * checked against the harness's own view of memory (view.h): no overlap,
 * nothing reserved handed out, placement by the manager's rule, NULL only
 * when the rule says nothing fits, nr_free_pages() exact, and nobody writing
 * into live blocks.  Frees take random live blocks, some only in part.
 * Every CHECKPOINT ops everything is freed, the manager's self-check must
 * pass on a private instance over frames the live one lends it (as at boot),
 * and the whole of memory must come back as the largest blocks the rule
 * promises.  For fast_ff the run also counts how often it moves its
 * blocks from its list to its index and back (managers.h, ff_mode), and
 * fails unless both happened.
 *
 * usage: model <manager> [ops [npage [seed]]]
 */
#include <stdio.h>
#include <stdlib.h>

#include "view.h"
#include <fast_ff_pmm.h>
#include <pmm_trace.h>

#define CHECKPOINT 100000

static struct view v;
static struct blocks live;
static uint32_t rng;
static struct ff_mode mode;

/* request_size - mostly small, sometimes more than can ever fit. */
static size_t request_size(void)
{
    uint32_t r = pmm_rand_below(&rng, 100);
    if (r < 50) {
        return 1;
    }
    if (r < 70) {
        return 2 + pmm_rand_below(&rng, 7);
    }
    if (r < 85) {
        return 9 + pmm_rand_below(&rng, 56);
    }
    if (r < 97) {
        return 65 + pmm_rand_below(&rng, npage / 4);
    }
    return 1 + pmm_rand_below(&rng, npage); /* often nothing fits */
}

/* free_random - free a random live block; one time in eight only a piece
 * of it (its head or its tail), the rest staying live. */
static void free_random(void)
{
    struct Page *p;
    size_t n;
    blocks_take(&live, pmm_rand_below(&rng, live.count), &p, &n);
    if (n > 1 && pmm_rand_below(&rng, 8) == 0) {
        size_t cut = 1 + pmm_rand_below(&rng, n - 1);
        bool head = pmm_rand_below(&rng, 2);
        view_free(&v, head ? p : p + cut, head ? cut : n - cut);
        blocks_push(&live, head ? p + cut : p, head ? n - cut : cut);
        return;
    }
    view_free(&v, p, n);
}

static void free_all(void)
{
    while (live.count > 0) {
        struct Page *p;
        size_t n;
        blocks_take(&live, live.count - 1, &p, &n);
        view_free(&v, p, n);
    }
}

/* checkpoint - with everything free, the manager's self-check runs and
 * passes and leaves memory as it found it: whole again. */
static void checkpoint(void)
{
    free_all();
    enum host_check ran = host_run_check();
    if (ran != HOST_CHECK_PASSED) {
        fprintf(stderr, "model %s: the self-check did not run (%s)\n",
                host_manager->name,
                ran == HOST_CHECK_NONE ? "the manager has none"
                                       : "no room to lend its frames");
        abort();
    }
    view_expect_whole(&v);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: model <manager> [ops [npage [seed]]]\n");
        return 2;
    }
    const struct host_pmm *hp = host_pmm_find(argv[1]);
    long ops = argc > 2 ? atol(argv[2]) : 1000000;
    size_t np = argc > 3 ? (size_t)atol(argv[3]) : 4096;
    rng = argc > 4 ? (uint32_t)atol(argv[4]) : 20240601;

    host_setup(hp->m, np, HOST_BACKING | HOST_QUIET);
    view_init(&v, hp->rule, true);
    blocks_init(&live, np);
    uint32_t phase_bias = 2; /* out of 4: the chance an op allocates */
    long allocs = 0, nulls = 0;
    for (long i = 1; i <= ops; i++) {
        if (i % 5000 == 0) {
            phase_bias = 1 + pmm_rand_below(&rng, 3); /* fill, steady, drain */
        }
        if (live.count > 0 && pmm_rand_below(&rng, 4) >= phase_bias) {
            free_random();
        } else {
            size_t n = request_size();
            struct Page *p = view_alloc(&v, n);
            allocs++;
            if (p == NULL) {
                nulls++;
            } else {
                blocks_push(&live, p, n);
            }
        }
        ff_mode_note(&mode, v.nruns);
        if (i % CHECKPOINT == 0 || i == ops) {
            checkpoint();
            ff_mode_note(&mode, v.nruns);
        }
    }
    if (hp->m == &fast_ff_pmm_manager) {
        printf("model fast_ff: its blocks went to the index %zu times, back "
               "to the list %zu\n",
               mode.to_index, mode.to_list);
        if (mode.to_index == 0 || mode.to_list == 0) {
            fprintf(stderr, "model fast_ff: the workload never crossed its "
                            "list/index switch both ways\n");
            return 1;
        }
    }
    printf("model %s: %ld ops on %zu pages (%zu usable), %ld allocs, %ld "
           "NULL, all checks passed\n",
           hp->name, ops, np, host_layout.usable, allocs, nulls);
    blocks_destroy(&live);
    view_destroy(&v);
    host_teardown();
    return 0;
}
