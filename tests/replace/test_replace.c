/*
 * test_replace.c -- make host-replace: the replacement policies
 * (kern/mm/swap/swap_*.c, compiled unchanged) and the harness's LRU and
 * OPT against facts computed by hand or by brute force.
 *
 *  - FIFO, LRU and OPT on Belady's string 1,2,3,4,1,2,5,1,2,3,4,5: FIFO
 *    faults 9 times with 3 frames and 10 with 4 (the anomaly), LRU 10 and
 *    8, OPT 7 and 6;
 *  - LRU equals a move-to-front stack, faults and write-backs, on random
 *    traces;
 *  - every policy faults at least as often as OPT on every synthetic
 *    trace, and its own check_swap passes along the way;
 *  - under random pins, unpins and frees, every victim is a swappable
 *    resident frame (the harness checks each one), and with every
 *    resident page pinned there is no victim at all;
 *  - the clock gives a referenced page its second chance: on
 *    1,2,3,4,2,5,2 with 3 frames it faults 5 times where FIFO faults 6
 *    (a clock that ignores the accessed bit is FIFO);
 *  - with kmalloc failing, every policy's init returns -E_NO_MEM, and
 *    the policy works as before once memory is back;
 *  - the harness catches a policy that keeps a pinned page (a broken
 *    FIFO), so the checks above can fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swap_manager.h>

#include "../../libs/error.h"
#include "traces.h"

extern const struct swap_manager swap_manager_fifo, swap_manager_clock,
    swap_manager_eclock, swap_manager_clockpro;

static const struct swap_manager *const policies[] = {
    &swap_manager_fifo, &swap_manager_clock, &swap_manager_eclock,
    &swap_manager_clockpro,
};

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                        \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static uint64_t seed = 12345;

static size_t rnd(size_t n)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (size_t)((seed >> 33) % n);
}

/* ---- hand-computed ---------------------------------------------------- */

static void test_belady(void)
{
    static const uint32_t s[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
    struct trace t = trace_from("belady", s, NULL, ARRAY_SIZE(s));
    static const struct {
        size_t frames;
        unsigned long fifo, lru, opt;
    } want[] = {{3, 9, 10, 7}, {4, 10, 8, 6}};
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        size_t f = want[i].frames;
        unsigned long fifo = sim_policy(&swap_manager_fifo, &t, f).faults;
        unsigned long lru = sim_lru(&t, f).faults, opt = sim_opt(&t, f).faults;
        CHECK(fifo == want[i].fifo, "fifo, %zu frames: %lu faults, want %lu", f,
              fifo, want[i].fifo);
        CHECK(lru == want[i].lru, "lru, %zu frames: %lu faults, want %lu", f, lru,
              want[i].lru);
        CHECK(opt == want[i].opt, "opt, %zu frames: %lu faults, want %lu", f, opt,
              want[i].opt);
    }
    trace_free(&t);
}

/* test_second_chance - after 4 evicts 1 (the sweep clears every bit), 2 is
 * referenced again: the clock passes it (clearing its bit) and evicts 3,
 * so the last 2 hits; FIFO evicts 2 and faults on it. */
static void test_second_chance(void)
{
    static const uint32_t s[] = {1, 2, 3, 4, 2, 5, 2};
    struct trace t = trace_from("second-chance", s, NULL, ARRAY_SIZE(s));
    unsigned long fifo = sim_policy(&swap_manager_fifo, &t, 3).faults;
    unsigned long clock = sim_policy(&swap_manager_clock, &t, 3).faults;
    CHECK(fifo == 6, "fifo, second-chance string: %lu faults, want 6", fifo);
    CHECK(clock == 5, "clock, second-chance string: %lu faults, want 5", clock);
    trace_free(&t);
}

/* ---- LRU against a move-to-front stack -------------------------------- */

/* stack_lru - the resident pages in a stack, most recent first; a miss
 * drops the bottom one.  Dirty: written since loaded, or never in swap. */
static struct sim_result stack_lru(const struct trace *t, size_t nframes)
{
    uint32_t stack[64];
    bool dirty[64], in_swap[256] = {false};
    size_t depth = 0;
    struct sim_result r = {0, 0, 0};
    for (size_t i = 0; i < t->n; i++) {
        size_t at = 0;
        while (at < depth && stack[at] != t->page[i]) {
            at++;
        }
        bool d = at < depth && dirty[at];
        r.refs++;
        if (at == depth) {
            r.faults++;
            if (depth == nframes) {
                uint32_t out = stack[--depth];
                if (dirty[depth] || !in_swap[out]) {
                    r.writebacks++;
                    in_swap[out] = true;
                }
            }
            at = depth++;
        }
        memmove(&stack[1], &stack[0], at * sizeof(stack[0]));
        memmove(&dirty[1], &dirty[0], at * sizeof(dirty[0]));
        stack[0] = t->page[i];
        dirty[0] = d || t->write[i];
    }
    return r;
}

static void test_lru_brute_force(void)
{
    uint32_t pages[3000];
    bool writes[3000];
    for (int round = 0; round < 20; round++) {
        size_t npages = 4 + rnd(60), nframes = 1 + rnd(npages < 64 ? npages : 63);
        for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
            pages[i] = (uint32_t)(rnd(4) ? rnd(1 + npages / 4) : rnd(npages));
            writes[i] = rnd(3) == 0;
        }
        struct trace t = trace_from("random", pages, writes, ARRAY_SIZE(pages));
        struct sim_result a = sim_lru(&t, nframes), b = stack_lru(&t, nframes);
        CHECK(a.faults == b.faults && a.writebacks == b.writebacks,
              "lru on %zu pages, %zu frames: %lu faults / %lu write-backs, the stack %lu / %lu",
              npages, nframes, a.faults, a.writebacks, b.faults, b.writebacks);
        trace_free(&t);
    }
}

/* ---- every policy ------------------------------------------------------ */

/* replay_checked - @pm on @t, its check_swap every 97 references; the
 * faults, or -1 when the harness or the check failed. */
static long replay_checked(const struct swap_manager *pm, const struct trace *t,
                           size_t nframes)
{
    bool ok = sim_begin(pm, nframes, t->npages);
    for (size_t i = 0; ok && i < t->n; i++) {
        ok = sim_ref(t->page[i], t->write[i]);
        if (ok && i % 97 == 0 && pm->check_swap() != 0) {
            ok = false;
            snprintf(sim_error, sizeof(sim_error), "%s: check_swap failed at %zu",
                     pm->name, i);
        }
    }
    long faults = (long)sim_end().faults;
    CHECK(ok, "%s on %s, %zu frames: %s", pm->name, t->name, nframes, sim_error);
    return ok ? faults : -1;
}

static void test_not_below_opt(void)
{
    static const size_t frames[] = {16, 64};
    for (int kind = 0; kind < T_NKINDS; kind++) {
        for (size_t k = 0; k < ARRAY_SIZE(frames); k++) {
            struct trace t = trace_make((enum trace_kind)kind, frames[k]);
            long opt = (long)sim_opt(&t, frames[k]).faults;
            for (size_t p = 0; p < ARRAY_SIZE(policies); p++) {
                long f = replay_checked(policies[p], &t, frames[k]);
                CHECK(f >= opt, "%s on %s, %zu frames: %ld faults, fewer than OPT's %ld",
                      policies[p]->name, t.name, frames[k], f, opt);
            }
            trace_free(&t);
        }
    }
}

/* churn - @n random references to @npages pages on @nframes frames with
 * pins, unpins and frees mixed in; false at the first failure. */
static bool churn(const struct swap_manager *pm, size_t nframes, size_t npages,
                  size_t n)
{
    if (!sim_begin(pm, nframes, npages)) {
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        uint32_t p = (uint32_t)rnd(npages);
        switch (rnd(20)) {
        case 0:
            ok = sim_pin(p);
            break;
        case 1:
        case 2:
            ok = sim_unpin(p);
            break;
        case 3:
            ok = sim_free(p);
            break;
        default:
            ok = sim_ref(p, rnd(3) == 0);
        }
        if (ok && pm->check_swap() != 0) {
            snprintf(sim_error, sizeof(sim_error), "%s: check_swap failed", pm->name);
            ok = false;
        }
    }
    return ok;
}

/* all_pinned - pin every resident page: the policy has no victim. */
static bool all_pinned(const struct swap_manager *pm, size_t npages)
{
    for (uint32_t p = 0; p < npages; p++) {
        if (!sim_pin(p)) {
            return false;
        }
    }
    struct Page *victim = NULL;
    if (pm->swap_out_victim(NULL, &victim, 0) == 0) {
        snprintf(sim_error, sizeof(sim_error), "%s: a victim (%p) with every page pinned",
                 pm->name, (void *)victim);
        return false;
    }
    return true;
}

static void test_pins(void)
{
    for (size_t p = 0; p < ARRAY_SIZE(policies); p++) {
        const struct swap_manager *pm = policies[p];
        bool ok = churn(pm, 16, 48, 200000) && all_pinned(pm, 48);
        sim_end();
        CHECK(ok, "%s under pins and frees: %s", pm->name, sim_error);
    }
}

/* ---- out of memory ---------------------------------------------------- */

/* Each policy, set up and used once, then its init with kmalloc failing:
 * -E_NO_MEM, and the churn of test_pins passes afterwards (the failed
 * init broke nothing the next one needs). */
static void test_init_no_memory(void)
{
    for (size_t p = 0; p < ARRAY_SIZE(policies); p++) {
        const struct swap_manager *pm = policies[p];
        bool ok = churn(pm, 16, 48, 1000);
        sim_end();
        sim_begin(NULL, 16, 48);
        sim_kmalloc_fails = true;
        int r = pm->init();
        sim_kmalloc_fails = false;
        sim_end();
        CHECK(r == -E_NO_MEM, "%s: init without memory returned %d", pm->name, r);
        ok = ok && churn(pm, 16, 48, 20000);
        sim_end();
        CHECK(ok, "%s after a failed init: %s", pm->name, sim_error);
    }
}

/* ---- the harness can fail -------------------------------------------- */

/* A FIFO whose set_unswappable forgets to unlink the page. */
static int leaky_set_unswappable(struct Page *page)
{
    (void)page;
    return 0;
}

static void test_harness_catches_leak(void)
{
    struct swap_manager leaky = swap_manager_fifo;
    leaky.set_unswappable = leaky_set_unswappable;
    sim_begin(&leaky, 4, 8);
    bool ok = true;
    for (uint32_t p = 0; ok && p < 4; p++) {
        ok = sim_ref(p, false);
    }
    ok = ok && sim_pin(0) && sim_ref(4, false); /* FIFO's victim: pinned page 0 */
    sim_end();
    CHECK(!ok && strstr(sim_error, "not swappable") != NULL,
          "a policy that evicts a pinned page went unnoticed (%s)", ok ? "no error" : sim_error);
}

int main(void)
{
    test_belady();
    test_second_chance();
    test_lru_brute_force();
    test_not_below_opt();
    test_pins();
    test_init_no_memory();
    test_harness_catches_leak();
    if (failures) {
        printf("host-replace: %d check(s) failed\n", failures);
        return 1;
    }
    printf("host-replace: %zu policies, all checks passed\n", ARRAY_SIZE(policies));
    return 0;
}
