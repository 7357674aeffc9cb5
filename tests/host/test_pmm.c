/*
 * test_pmm.c -- what every page allocator must do, whatever its placement
 * rule: pass its own boot self-test, hand out each page exactly once, take
 * blocks back in pieces, coalesce back to whole memory, and answer NULL to
 * what cannot fit without changing anything.  Every call also goes through
 * the view (view.h), which checks placement and nr_free_pages().
 */
#include <stdlib.h>

#include "unit.h"

#define NPAGE 4096

static void test_own_check_passes(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    if (HOST_PANICS(pmm_manager->check())) {
        fail_msg("%s check() panicked on fresh memory: %s",
                 UNIT_PMM(state)->name, host_panic_msg);
    }
    view_check_count(&uv, "check()");
    view_expect_whole(&uv);
}

static void test_own_check_passes_fragmented(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    /* Aligned powers of two, so that every rule can use the holes. */
    static const size_t at[] = {96, 256, 512, 1024, 3072};
    static const size_t len[] = {32, 64, 256, 512, 1024};
    unit_carve(at, len, 5);
    if (HOST_PANICS(pmm_manager->check())) {
        fail_msg("%s check() panicked on fragmented memory: %s",
                 UNIT_PMM(state)->name, host_panic_msg);
    }
    view_check_count(&uv, "check()");
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

static void test_null_changes_nothing(void **state)
{
    static const size_t at[] = {100, 300, 700}, len[] = {20, 40, 9};
    static const size_t probe[] = {1, 8, 33, 2, 16, 5, 3};
    long first[7], second[7];
    for (int round = 0; round < 2; round++) {
        unit_setup(UNIT_PMM(state), NPAGE);
        unit_carve(at, len, 3);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_check_passes),
        cmocka_unit_test(test_own_check_passes_fragmented),
        cmocka_unit_test(test_every_page_once),
        cmocka_unit_test(test_free_in_pieces),
        cmocka_unit_test(test_null_changes_nothing),
        cmocka_unit_test(test_nothing_spans_the_hole),
    };
    return unit_run("pmm", tests, ARRAY_SIZE(tests), UNIT_ALL_RULES) != 0;
}
