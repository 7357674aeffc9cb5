/* unit.c -- see unit.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

struct view uv;
static struct Page *snapshot;
static size_t snapshot_n;

static void fail_to_cmocka(const char *msg) { fail_msg("%s", msg); }

void unit_setup(const struct host_pmm *hp, size_t np)
{
    view_destroy(&uv);
    host_setup(hp->m, np, HOST_BACKING | HOST_QUIET);
    view_init(&uv, hp->rule, true);
    view_fail = fail_to_cmocka;
}

struct Page *unit_alloc(size_t n) { return view_alloc(&uv, n); }

void unit_free(struct Page *p, size_t n) { view_free(&uv, p, n); }

long unit_ppn(const struct Page *p) { return p == NULL ? -1 : p - pages; }

void unit_carve(const size_t *at, const size_t *len, size_t count)
{
    while (unit_alloc(1) != NULL) {
    }
    assert_int_equal(nr_free_pages(), 0);
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < len[i]; j++) {
            unit_free(pages + at[i] + j, 1);
        }
    }
}

void unit_snapshot_pages(void)
{
    free(snapshot);
    snapshot = malloc(npage * sizeof(struct Page));
    assert_non_null(snapshot);
    memcpy(snapshot, pages, npage * sizeof(struct Page));
    snapshot_n = npage;
}

bool unit_pages_unchanged(void)
{
    return snapshot_n == npage &&
           memcmp(snapshot, pages, npage * sizeof(struct Page)) == 0;
}

int unit_run(const char *prefix, const struct CMUnitTest *tests, size_t count,
             unsigned rules)
{
    struct CMUnitTest *mine = calloc(count, sizeof(*mine));
    setvbuf(stdout, NULL, _IOLBF, 0); /* cmocka writes to stdout and stderr */
    int failed = 0;
    for (size_t m = 0; m < host_npmms; m++) {
        const struct host_pmm *hp = &host_pmms[m];
        if (!(rules & (1u << hp->rule))) {
            continue;
        }
        for (size_t i = 0; i < count; i++) {
            mine[i] = tests[i];
            mine[i].initial_state = (void *)hp;
        }
        char name[64];
        snprintf(name, sizeof(name), "%s %s", prefix, hp->name);
        printf("[----------] %s\n", name);
        failed += _cmocka_run_group_tests(name, mine, count, NULL, NULL);
    }
    free(mine);
    view_destroy(&uv);
    host_teardown();
    return failed;
}
