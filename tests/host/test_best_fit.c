/*
 * test_best_fit.c -- best-fit placement: the smallest free block that fits,
 * the lowest of equals, cut from its low end; frees merge with both
 * neighbours; NULL when no run is long enough, with nothing changed.
 *
 * 64 pages: page 0 and page 32 reserved, regions [1, 32) and [33, 64).
 * Carved so that only these runs are free: [2, 4) [6, 11) [13, 16) [20, 21)
 * [40, 41).
 */
#include "unit.h"

static const size_t hole_at[] = {2, 6, 13, 20, 40};
static const size_t hole_len[] = {2, 5, 3, 1, 1};

static void carve(void **state)
{
    unit_setup(UNIT_PMM(state), 64);
    unit_carve(hole_at, hole_len, 5);
    assert_int_equal(nr_free_pages(), 12);
}

static void test_smallest_block_that_fits(void **state)
{
    carve(state);
    assert_int_equal(unit_ppn(unit_alloc(3)), 13); /* exact, not the 5 */
    assert_int_equal(unit_ppn(unit_alloc(2)), 2);  /* exact */
    assert_int_equal(unit_ppn(unit_alloc(1)), 20); /* lowest of two 1s */
    assert_int_equal(unit_ppn(unit_alloc(1)), 40);
    assert_int_equal(unit_ppn(unit_alloc(1)), 6); /* only the 5 is left */
}

static void test_split_keeps_the_rest(void **state)
{
    carve(state);
    assert_int_equal(unit_ppn(unit_alloc(4)), 6);  /* leaves [10, 11) */
    assert_int_equal(unit_ppn(unit_alloc(1)), 10); /* the lowest 1 now */
    assert_int_equal(unit_ppn(unit_alloc(1)), 20);
}

static void test_free_merges_both_sides(void **state)
{
    carve(state);
    assert_null(unit_alloc(6));
    unit_free(pages + 11, 1); /* [6, 12) */
    unit_free(pages + 12, 1); /* joins [6, 12) and [13, 16) */
    assert_int_equal(unit_ppn(unit_alloc(10)), 6);
    assert_int_equal(nr_free_pages(), 4);
}

static void test_null_when_no_run_fits(void **state)
{
    carve(state);
    unit_snapshot_pages();
    assert_null(unit_alloc(6)); /* 12 pages free, the longest run is 5 */
    assert_true(unit_pages_unchanged());
    assert_int_equal(nr_free_pages(), 12);
    assert_int_equal(unit_ppn(unit_alloc(4)), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smallest_block_that_fits),
        cmocka_unit_test(test_split_keeps_the_rest),
        cmocka_unit_test(test_free_merges_both_sides),
        cmocka_unit_test(test_null_when_no_run_fits),
    };
    return unit_run("best fit", tests, ARRAY_SIZE(tests),
                    1u << RULE_BEST_FIT) != 0;
}
