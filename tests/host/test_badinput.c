/*
 * test_badinput.c -- bad calls end in a panic that says what was wrong:
 * n == 0, a reserved page, a page still mapped (reference count not 0),
 * a range past the end or outside the Page array (caught by pmm_guard before
 * the manager sees them, so nothing changes), and double frees, which each
 * manager must catch itself and name the page.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#define NPAGE 256

/* expect_panic - @panicked must be true and the message contain @text. */
#define expect_panic(panicked, text)                                           \
    do {                                                                       \
        assert_true(panicked);                                                 \
        if (strstr(host_panic_msg, (text)) == NULL) {                          \
            fail_msg("panic message \"%s\" lacks \"%s\"", host_panic_msg,      \
                     (text));                                                  \
        }                                                                      \
    } while (0)

/* double_free - the panic message of a double free: it starts with the
 * function the caller used, then names the manager, and says so. */
static void double_free(void)
{
    if (strncmp(host_panic_msg, "free_pages: ", 12) != 0 ||
        strstr(host_panic_msg, "_pmm: ") == NULL) {
        fail_msg("double-free panic \"%s\" does not start with "
                 "\"free_pages: <manager>: \"",
                 host_panic_msg);
    }
}

/* names - the panic message must also name page @p as %p prints it. */
static void names(const struct Page *p)
{
    char want[32];
    snprintf(want, sizeof(want), "%p", (const void *)p);
    expect_panic(true, want);
}

static void test_alloc_zero(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    expect_panic(HOST_PANICS(alloc_pages(0)), "alloc_pages: n == 0");
    view_check_count(&uv, "a refused alloc");
}

static void test_free_zero(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(1);
    expect_panic(HOST_PANICS(free_pages(p, 0)), "free_pages: n == 0");
    view_check_count(&uv, "a refused free");
    unit_free(p, 1);
}

static void test_free_reserved(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    expect_panic(HOST_PANICS(free_pages(pages, 1)), "is reserved, not managed");
    names(pages);
    size_t hole = host_layout.region_start[0] + host_layout.region_len[0];
    struct Page *last = pages + hole - 1; /* a live page, then the hole */
    while (unit_alloc(1) != NULL) {
    }
    expect_panic(HOST_PANICS(free_pages(last, 2)), "is reserved, not managed");
    names(last + 1);
    view_check_count(&uv, "a refused free");
    unit_free(last, 1);
}

/* test_free_mapped - a page whose reference count is not 0 (still mapped)
 * is refused, and named; the range is not freed. */
static void test_free_mapped(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(2);
    set_page_ref(p + 1, 1);
    expect_panic(HOST_PANICS(free_pages(p, 2)), "is still mapped (ref 1)");
    names(p + 1);
    view_check_count(&uv, "a refused free");
    set_page_ref(p + 1, 0);
    unit_free(p, 2);
}

static void test_free_past_the_end(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    while (unit_alloc(1) != NULL) {
    }
    expect_panic(HOST_PANICS(free_pages(pages + NPAGE - 2, 4)),
                 "runs past the end of memory");
    expect_panic(HOST_PANICS(free_pages(pages + NPAGE, 1)),
                 "is not a page of the Page array");
    struct Page stray;
    expect_panic(HOST_PANICS(free_pages(&stray, 1)),
                 "is not a page of the Page array");
    view_check_count(&uv, "refused frees");
    unit_free(pages + NPAGE - 2, 2);
}

static void test_double_free(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(1);
    unit_free(p, 1);
    expect_panic(HOST_PANICS(free_pages(p, 1)), "double free");
    double_free();
    names(p);
}

static void test_double_free_inside_a_free_block(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(4);
    unit_free(p, 4);
    expect_panic(HOST_PANICS(free_pages(p + 2, 1)), "double free");
    double_free();
    names(p + 2);
}

static void test_free_overlapping_a_free_page(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(4);
    unit_free(p, 2);
    /* p + 1 is free, p + 2 is not: the manager must refuse the range. */
    expect_panic(HOST_PANICS(free_pages(p + 1, 2)), "double free");
    double_free();
    names(p + 1);
}

static void test_free_over_a_free_block(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    struct Page *p = unit_alloc(4);
    unit_free(p + 2, 2);
    /* p and p + 1 are live, p + 2 is the first free page of the range. */
    expect_panic(HOST_PANICS(free_pages(p, 4)), "double free");
    double_free();
    names(p + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_zero),
        cmocka_unit_test(test_free_zero),
        cmocka_unit_test(test_free_reserved),
        cmocka_unit_test(test_free_mapped),
        cmocka_unit_test(test_free_past_the_end),
        cmocka_unit_test(test_double_free),
        cmocka_unit_test(test_double_free_inside_a_free_block),
        cmocka_unit_test(test_free_overlapping_a_free_page),
        cmocka_unit_test(test_free_over_a_free_block),
    };
    return unit_run("bad input", tests, ARRAY_SIZE(tests), UNIT_ALL_RULES) != 0;
}
