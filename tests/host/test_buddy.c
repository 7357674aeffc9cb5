/*
 * test_buddy.c -- the buddy allocator: naturally aligned power-of-two
 * blocks, the unused tail of a request handed straight back, buddies (and
 * only buddies) merging, NULL when no block of the order is free.
 *
 * 64 pages: page 0 and page 32 reserved, regions [1, 32) and [33, 64).
 */
#include "unit.h"

static void only_free(const size_t *at, const size_t *len, size_t count,
                      void **state)
{
    unit_setup(UNIT_PMM(state), 64);
    unit_carve(at, len, count);
}

static void test_blocks_are_aligned(void **state)
{
    unit_setup(UNIT_PMM(state), 64);
    static const size_t sizes[] = {1, 4, 8, 2, 16, 3, 1};
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        long ppn = unit_ppn(unit_alloc(sizes[i]));
        assert_true(ppn > 0);
        assert_int_equal(ppn % (1L << order_of(sizes[i])), 0);
    }
    assert_null(unit_alloc(32)); /* each aligned 32-block has a reserved page */
}

static void test_tail_goes_back(void **state)
{
    static const size_t at[] = {8}, len[] = {8};
    only_free(at, len, 1, state);
    assert_int_equal(unit_ppn(unit_alloc(5)), 8);
    assert_int_equal(nr_free_pages(), 3); /* 5 pages, not 8, left the pool */
    assert_int_equal(unit_ppn(unit_alloc(1)), 13);
    assert_int_equal(unit_ppn(unit_alloc(2)), 14);
    assert_int_equal(nr_free_pages(), 0);
}

static void test_buddies_merge(void **state)
{
    static const size_t at[] = {8}, len[] = {8};
    only_free(at, len, 1, state);
    struct Page *p[8];
    for (int i = 0; i < 8; i++) {
        assert_non_null(p[i] = unit_alloc(1));
    }
    static const int order[] = {5, 0, 3, 6, 1, 7, 2, 4};
    for (int i = 0; i < 8; i++) {
        unit_free(p[order[i]], 1);
    }
    assert_int_equal(unit_ppn(unit_alloc(8)), 8);
}

static void test_neighbours_that_are_not_buddies_stay_apart(void **state)
{
    static const size_t at[] = {4}, len[] = {12}; /* [4, 8) and [8, 16) */
    only_free(at, len, 1, state);
    assert_null(unit_alloc(9)); /* 12 free pages in a row, no 16-block */
    assert_int_equal(unit_ppn(unit_alloc(8)), 8);
    assert_int_equal(unit_ppn(unit_alloc(4)), 4);
}

static void test_null_when_no_block_of_the_order(void **state)
{
    static const size_t at[] = {3, 5, 9, 20}, len[] = {1, 2, 1, 3};
    only_free(at, len, 4, state); /* blocks: 3 | 5 | 6-7 | 9 | 20-21 | 22 */
    unit_snapshot_pages();
    assert_null(unit_alloc(3));
    assert_true(unit_pages_unchanged());
    assert_int_equal(nr_free_pages(), 7);
    assert_non_null(unit_alloc(2));
}

static void test_free_the_middle_of_a_block(void **state)
{
    unit_setup(UNIT_PMM(state), 64);
    struct Page *p = unit_alloc(8);
    assert_non_null(p);
    unit_free(p + 3, 3);
    unit_free(p, 3);
    unit_free(p + 6, 2);
    assert_int_equal(nr_free_pages(), host_layout.usable);
    assert_non_null(unit_alloc(16)); /* both 16-blocks are whole again */
    assert_non_null(unit_alloc(16));
}

static void test_largest_order(void **state)
{
    /* 229376 pages (all of KMEMSIZE): pages [0, 3584) and the hole
     * [114688, 118272) are reserved, so the largest aligned free block is
     * the 2^16 pages at 131072, and 2^15 blocks are free at 32768, 65536
     * and 196608.  No backing store: 256 MiB of tags would be too much. */
    host_setup(UNIT_PMM(state)->m, 229376, HOST_QUIET);
    view_destroy(&uv);
    view_init(&uv, RULE_BUDDY, false);
    assert_null(unit_alloc(65537));
    assert_int_equal(unit_ppn(unit_alloc(65536)), 131072);
    for (int i = 0; i < 3; i++) {
        assert_non_null(unit_alloc(32768));
    }
    assert_null(unit_alloc(32768));
    assert_int_equal(nr_free_pages(), host_layout.usable - 65536 - 3 * 32768);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_are_aligned),
        cmocka_unit_test(test_tail_goes_back),
        cmocka_unit_test(test_buddies_merge),
        cmocka_unit_test(test_neighbours_that_are_not_buddies_stay_apart),
        cmocka_unit_test(test_null_when_no_block_of_the_order),
        cmocka_unit_test(test_free_the_middle_of_a_block),
        cmocka_unit_test(test_largest_order),
    };
    return unit_run("buddy", tests, ARRAY_SIZE(tests), 1u << RULE_BUDDY) != 0;
}
