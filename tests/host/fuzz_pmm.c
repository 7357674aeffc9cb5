/*
 * fuzz_pmm.c -- libFuzzer target for one page allocator (FUZZ_PMM, its
 * name in managers.c).  The input picks a memory size and then a sequence
 * of allocs, whole frees and partial frees; every call is checked by the
 * view (view.h) as in the model test, and at the end everything is freed,
 * the manager's self-check must pass (check_once) and memory must be whole
 * again.  A failed check aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "view.h"

#ifndef FUZZ_PMM
#error "build with -DFUZZ_PMM='\"<manager>\"'"
#endif

static unsigned long long calls, inputs; /* allocator calls, inputs run */

/* report_calls - at exit (libFuzzer's too): how many allocator calls
 * the inputs made, for `make fuzz` to print beside libFuzzer's runs. */
static void report_calls(void)
{
    fprintf(stderr, "fuzz %s: %llu allocator calls in %llu inputs\n",
            FUZZ_PMM, calls, inputs);
}

/* request_size - from two input bytes: one page, a few, up to all memory,
 * or (rarely) more than exists. */
static size_t request_size(uint8_t how, uint8_t a)
{
    switch ((how >> 2) & 3) {
    case 0:
        return 1;
    case 1:
        return 1 + a % 16;
    case 2:
        return 1 + a * npage / 256;
    default:
        return 1 + (size_t)a * a * npage / 32768;
    }
}

/* free_part - free block @i whole, or (when @cut > 0) only its first @cut
 * pages, keeping the rest live. */
static void free_part(struct view *v, struct blocks *live, size_t i, size_t cut)
{
    struct Page *p;
    size_t n;
    blocks_take(live, i, &p, &n);
    if (cut == 0 || cut >= n) {
        view_free(v, p, n);
        return;
    }
    view_free(v, p, cut);
    blocks_push(live, p + cut, n - cut);
}

/*
 * check_once - the manager's self-check, on the first input of each memory
 * size (@size_code, data[0]).  It runs on a private instance over frames
 * the live one lends, so it sees the same for every input of one size; what
 * the input changes, the live instance's history, the view checks.  (Run
 * on every input, fast_ff's and buddy's 4000-op self-checks took ~20x the
 * time of the rest.)  From 1024 pages region 0 holds the aligned [256, 512):
 * room for the lent frames under every rule.
 */
static void check_once(const struct host_pmm *hp, uint8_t size_code)
{
    static bool checked[256];
    if (checked[size_code]) {
        return;
    }
    checked[size_code] = true;
    enum host_check ran = host_run_check();
    if (ran == HOST_CHECK_NONE ||
        (ran == HOST_CHECK_NO_ROOM && npage >= 1024)) {
        fprintf(stderr, "fuzz %s: the self-check did not run on %zu pages\n",
                hp->name, npage);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    static const struct host_pmm *hp;
    if (hp == NULL) {
        hp = host_pmm_find(FUZZ_PMM);
        atexit(report_calls);
    }
    inputs++;
    host_setup(hp->m, 32 + 4 * (size_t)data[0], HOST_QUIET);
    struct view v;
    struct blocks live;
    view_init(&v, hp->rule, false);
    blocks_init(&live, npage);
    for (size_t i = 1; i + 1 < size; i += 2) {
        uint8_t how = data[i], a = data[i + 1];
        calls++;
        if ((how & 1) && live.count > 0) {
            free_part(&v, &live, a % live.count, (how & 2) ? how >> 2 : 0);
        } else {
            size_t n = request_size(how, a);
            struct Page *p = view_alloc(&v, n);
            if (p != NULL) {
                blocks_push(&live, p, n);
            }
        }
    }
    while (live.count > 0) {
        calls++;
        free_part(&v, &live, live.count - 1, 0);
    }
    check_once(hp, data[0]);
    view_expect_whole(&v);
    blocks_destroy(&live);
    view_destroy(&v);
    return 0;
}
