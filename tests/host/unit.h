/*
 * unit.h -- helpers for the cmocka unit tests: a fresh checked memory per
 * test, memory carved into holes of chosen sizes, and one cmocka group per
 * manager.
 */
#ifndef TESTS_HOST_UNIT_H
#define TESTS_HOST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "view.h"

/* The memory a test runs on and the view that checks every call. */
extern struct view uv;

/* unit_setup - host_setup(@hp, @np pages, backed) with uv checking every
 * call, failures reported to cmocka. */
void unit_setup(const struct host_pmm *hp, size_t np);

/* The state of a cmocka test: the manager under test. */
#define UNIT_PMM(state) ((const struct host_pmm *)*(state))

/* unit_alloc / unit_free - alloc_pages / free_pages through the view. */
struct Page *unit_alloc(size_t n);
void unit_free(struct Page *p, size_t n);

/* unit_ppn - the page number of @p, or -1 for NULL (for readable asserts). */
long unit_ppn(const struct Page *p);

/*
 * unit_carve - allocate every free page one at a time, then free the pages
 * of the runs [at[i], at[i] + len[i]) page by page: memory is now exactly
 * those holes.  Needs the holes not to touch each other.
 */
void unit_carve(const size_t *at, const size_t *len, size_t count);

/* unit_snapshot_pages / unit_pages_unchanged - a copy of every struct Page,
 * and whether pages[] still equals it. */
void unit_snapshot_pages(void);
bool unit_pages_unchanged(void);

/*
 * unit_run - run @tests once per manager in @rules (a bitmask of
 * 1 << RULE_*), one cmocka group each named "<prefix> <manager>".
 * Returns the number of failed tests.
 */
int unit_run(const char *prefix, const struct CMUnitTest *tests, size_t count,
             unsigned rules);

#define UNIT_ALL_RULES                                                         \
    ((1u << RULE_FIRST_FIT) | (1u << RULE_BEST_FIT) | (1u << RULE_BUDDY))

#endif /* !TESTS_HOST_UNIT_H */
