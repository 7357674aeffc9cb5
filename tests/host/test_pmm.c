/*
 * test_pmm.c -- what every page allocator must do, whatever its placement
 * rule: pass its own boot self-test, hand out each page exactly once, take
 * blocks back in pieces, coalesce back to whole memory, and answer NULL to
 * what cannot fit without changing anything.  The self-test runs on a
 * private instance and leaves the live one as it was.  Every call also goes
 * through the view (view.h), which checks placement and nr_free_pages().
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define NPAGE 4096

/* free_blocks - the live instance's show_free output (caller frees), or
 * NULL when the manager cannot list its blocks. */
static char *free_blocks(void)
{
    host_capture_begin();
    bool listed = host_show_free();
    char *out = host_capture_end();
    if (!listed) {
        free(out);
        return NULL;
    }
    return out;
}

/* checked_run - host_run_check(), failing the test if it panics (not
 * inlined: its setjmp stays away from the callers' locals). */
static __attribute__((noinline)) enum host_check
checked_run(const struct host_pmm *hp, const char *memory)
{
    volatile enum host_check ran = HOST_CHECK_NONE;
    if (HOST_PANICS(ran = host_run_check())) {
        fail_msg("%s self-check panicked on %s memory: %s", hp->name, memory,
                 host_panic_msg);
    }
    return ran;
}

/* run_own_check - the manager's self-check on a private instance, over
 * frames lent by the live one (as the kernel runs it at boot): it must
 * run and pass, and the live instance must be as before: the same free
 * count and the same free blocks. */
static void run_own_check(const struct host_pmm *hp, const char *memory)
{
    char *before = free_blocks();
    enum host_check ran = checked_run(hp, memory);
    if (ran != HOST_CHECK_PASSED) {
        fail_msg("%s self-check did not run on %s memory (%s)", hp->name,
                 memory,
                 ran == HOST_CHECK_NONE ? "the manager has none"
                                        : "no room to lend its frames");
    }
    view_check_count(&uv, "the self-check");
    char *after = free_blocks();
    if (before != NULL) {
        assert_string_equal(after, before);
    }
    free(before);
    free(after);
}

static void test_own_check_passes(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    run_own_check(UNIT_PMM(state), "fresh");
    view_expect_whole(&uv);
}

static void test_own_check_passes_fragmented(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    /* Aligned powers of two, so that every rule can use the holes (and lend
     * the check its 256 frames from the one at 512). */
    static const size_t at[] = {96, 256, 512, 1024, 3072};
    static const size_t len[] = {32, 64, 256, 512, 1024};
    unit_carve(at, len, 5);
    run_own_check(UNIT_PMM(state), "fragmented");
    /* The next allocations still see exactly the carved holes. */
    assert_non_null(unit_alloc(1024));
    assert_non_null(unit_alloc(512));
    assert_null(unit_alloc(257));
}

static void test_every_page_once(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page **got = calloc(NPAGE, sizeof(*got));
    size_t count = 0;
    for (struct Page *p; (p = unit_alloc(1)) != NULL;) {
        got[count++] = p; /* the view fails any page handed out twice */
    }
    assert_int_equal(count, host_layout.usable);
    assert_int_equal(nr_free_pages(), 0);
    for (size_t i = 0; i < count; i += 2) { /* every other one... */
        unit_free(got[i], 1);
    }
    for (size_t i = 1; i < count; i += 2) { /* ...then the rest */
        unit_free(got[i], 1);
    }
    free(got);
    view_expect_whole(&uv);
}

static void test_free_in_pieces(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(8);
    assert_non_null(p);
    unit_free(p + 5, 3); /* a block may come back in parts */
    unit_free(p, 2);
    unit_free(p + 2, 3);
    view_expect_whole(&uv);
}

/* A NULL changes nothing, not the Page array, not the free count, not the
 * answers of later calls -- except that buddy empties its caches before it
 * says NULL to a request it cannot serve (buddy_pmm.h), so with buddy
 * both rounds make that first failed call. */
static void test_null_changes_nothing(void **state)
{
    static const size_t at[] = {100, 300, 700}, len[] = {20, 40, 9};
    static const size_t probe[] = {1, 8, 33, 2, 16, 5, 3};
    long first[7], second[7];
    bool buddy = UNIT_PMM(state)->rule == RULE_BUDDY;
    for (int round = 0; round < 2; round++) {
        unit_setup(UNIT_PMM(state), NPAGE);
        unit_carve(at, len, 3);
        if (round == 0 && buddy) {
            assert_null(unit_alloc(41));
        }
        if (round == 1) {
            size_t free_before = nr_free_pages();
            unit_snapshot_pages();
            assert_null(unit_alloc(41)); /* 69 free, no run of 41 */
            assert_null(unit_alloc(NPAGE + 1));
            assert_null(unit_alloc(UINT32_MAX));
            assert_true(unit_pages_unchanged());
            assert_int_equal(nr_free_pages(), free_before);
        }
        long *out = round == 0 ? first : second;
        for (int i = 0; i < 7; i++) {
            out[i] = unit_ppn(unit_alloc(probe[i]));
        }
    }
    /* Private state unchanged too: later calls answer as if no NULL. */
    assert_memory_equal(first, second, sizeof(first));
}

static void test_nothing_spans_the_hole(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    assert_null(unit_alloc(host_layout.usable));
    assert_null(unit_alloc(host_layout.region_len[1] + 1));
    view_expect_whole(&uv);
}

/* show_free_line - parse one "  [ppn first, last] n pages" line of @s into
 * [*first, *last]; returns the next line, or NULL at the end. */
static const char *show_free_line(const char *s, size_t *first, size_t *last)
{
    unsigned long a, b;
    unsigned n;
    int used = 0;
    if (*s == '\0') {
        return NULL;
    }
    if (sscanf(s, "  [ppn %lx, %lx] %u pages\n%n", &a, &b, &n, &used) != 3 ||
        used == 0 || b < a || b - a + 1 != n) {
        fail_msg("show_free line \"%.60s\" is not \"  [ppn a, b] n pages\"", s);
    }
    *first = a;
    *last = b;
    return s + used;
}

/* A manager's show_free lists blocks in address order that cover exactly
 * the free pages; first- and best-fit blocks never touch (coalesced). */
static void test_show_free_covers_the_free_pages(void **state)
{
    static const size_t at[] = {96, 256, 520, 1024, 3072};
    static const size_t len[] = {32, 64, 250, 512, 1024};
    unit_setup(UNIT_PMM(state), NPAGE);
    unit_carve(at, len, 5);
    unit_free(pages + 770, 1);  /* joins [520, 770) */
    unit_free(pages + 2000, 1); /* on its own */
    char *out = free_blocks();
    if (out == NULL) {
        skip();
    }
    size_t first, last, seen = 0, end = 0;
    for (const char *s = out; (s = show_free_line(s, &first, &last));) {
        assert_true(first >= end); /* sorted, disjoint */
        if (UNIT_PMM(state)->rule != RULE_BUDDY) {
            assert_true(seen == 0 || first > end); /* not touching */
        }
        for (size_t p = first; p <= last; p++) {
            assert_int_equal(uv.st[p], VIEW_FREE);
        }
        seen += last - first + 1;
        end = last + 1;
    }
    free(out);
    assert_int_equal(seen, nr_free_pages());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_check_passes),
        cmocka_unit_test(test_own_check_passes_fragmented),
        cmocka_unit_test(test_every_page_once),
        cmocka_unit_test(test_free_in_pieces),
        cmocka_unit_test(test_null_changes_nothing),
        cmocka_unit_test(test_nothing_spans_the_hole),
        cmocka_unit_test(test_show_free_covers_the_free_pages),
    };
    return unit_run("pmm", tests, ARRAY_SIZE(tests), UNIT_ALL_RULES) != 0;
}
