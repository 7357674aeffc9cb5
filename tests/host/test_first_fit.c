/*
 * test_first_fit.c -- first-fit placement (default, fast_ff): the lowest
 * free block that fits, cut from its low end; frees merge with both
 * neighbours; NULL when no run is long enough, with nothing changed.
 *
 * 64 pages: page 0 and page 32 reserved, regions [1, 32) and [33, 64).
 * Carved so that only these runs are free: [2, 4) [6, 11) [13, 16) [20, 21).
 */
#include "unit.h"

static const size_t hole_at[] = {2, 6, 13, 20}, hole_len[] = {2, 5, 3, 1};

static void carve(void **state)
{
    unit_setup(UNIT_PMM(state), 64);
    unit_carve(hole_at, hole_len, 4);
    assert_int_equal(nr_free_pages(), 11);
}

static void test_lowest_block_that_fits(void **state)
{
    carve(state);
    assert_int_equal(unit_ppn(unit_alloc(3)), 6);  /* not the exact 3 at 13 */
    assert_int_equal(unit_ppn(unit_alloc(1)), 2);  /* the lowest of all */
    assert_int_equal(unit_ppn(unit_alloc(3)), 13); /* [9, 11) is too short */
    assert_int_equal(unit_ppn(unit_alloc(2)), 9);
}

static void test_split_keeps_the_rest(void **state)
{
    carve(state);
    assert_int_equal(unit_ppn(unit_alloc(4)), 6); /* leaves [10, 11) */
    assert_int_equal(unit_ppn(unit_alloc(2)), 2);
    assert_int_equal(unit_ppn(unit_alloc(1)), 10);
    assert_int_equal(unit_ppn(unit_alloc(1)), 13);
    assert_int_equal(nr_free_pages(), 3);
}

static void test_free_merges_both_sides(void **state)
{
    carve(state);
    assert_null(unit_alloc(6));
    unit_free(pages + 5, 1); /* joins [6, 11) below */
    unit_free(pages + 4, 1); /* joins [2, 4) and [5, 11) */
    assert_int_equal(unit_ppn(unit_alloc(9)), 2);
    unit_free(pages + 2, 9);
    unit_free(pages + 11, 2); /* [2, 16) in one */
    assert_int_equal(unit_ppn(unit_alloc(14)), 2);
    assert_int_equal(nr_free_pages(), 1);
}

static void test_null_when_no_run_fits(void **state)
{
    carve(state);
    unit_snapshot_pages();
    assert_null(unit_alloc(6)); /* 11 pages free, the longest run is 5 */
    assert_true(unit_pages_unchanged());
    assert_int_equal(nr_free_pages(), 11);
    assert_int_equal(unit_ppn(unit_alloc(5)), 6);
}

static void test_no_merge_across_the_hole(void **state)
{
    unit_setup(UNIT_PMM(state), 64);
    assert_null(unit_alloc(32)); /* 31 + 31 free, split by page 32 */
    assert_int_equal(unit_ppn(unit_alloc(31)), 1);
    assert_int_equal(unit_ppn(unit_alloc(31)), 33);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lowest_block_that_fits),
        cmocka_unit_test(test_split_keeps_the_rest),
        cmocka_unit_test(test_free_merges_both_sides),
        cmocka_unit_test(test_null_when_no_run_fits),
        cmocka_unit_test(test_no_merge_across_the_hole),
    };
    return unit_run("first fit", tests, ARRAY_SIZE(tests),
                    1u << RULE_FIRST_FIT) != 0;
}
