/*
 * test_kmalloc.c -- kmalloc/kfree on top of each page allocator: size
 * classes, alignment, large objects in whole pages, reuse of freed objects,
 * no overlap under a random workload, no leak, clean NULL when memory runs
 * out, and panics naming the pointer for bad frees.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include <kmalloc.h>

#define NPAGE 4096

static void setup(void **state)
{
    unit_setup(UNIT_PMM(state), NPAGE);
    kmalloc_init();
}

static void test_check_slab_passes(void **state)
{
    setup(state);
    size_t before = nr_free_pages();
    if (HOST_PANICS(check_slab())) {
        fail_msg("check_slab() panicked: %s", host_panic_msg);
    }
    assert_int_equal(nr_free_pages(), before);
}

static void test_size_classes(void **state)
{
    setup(state);
    /* Sizes in one class share objects: the object freed last is the next
     * one handed out, whatever the size asked for within the class. */
    static const size_t same[][2] = {{1, 8}, {9, 16}, {65, 128}, {513, 1024}};
    for (size_t i = 0; i < ARRAY_SIZE(same); i++) {
        void *keep = kmalloc(same[i][0]); /* keeps the slab partial */
        void *p = kmalloc(same[i][0]);
        kfree(p);
        assert_ptr_equal(kmalloc(same[i][1]), p);
        void *other = kmalloc(same[i][1] + 1); /* the next class up */
        assert_ptr_not_equal(other, p);
        kfree(other);
        kfree(p);
        kfree(keep);
    }
}

static void test_alignment(void **state)
{
    setup(state);
    for (size_t size = 1; size <= 3000; size += 7) {
        char *p = kmalloc(size);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 8, 0);
        memset(p, 0x5a, size);
        kfree(p);
    }
    for (size_t size = 8; size <= 1024; size *= 2) {
        void *p = kmalloc(size);
        assert_int_equal((uintptr_t)p % size, 0);
        kfree(p);
    }
}

static void test_large_objects_take_whole_pages(void **state)
{
    setup(state);
    size_t before = nr_free_pages();
    char *one = kmalloc(PGSIZE), *four = kmalloc(3 * PGSIZE + 5);
    assert_non_null(one);
    assert_non_null(four);
    assert_int_equal(PGOFF(one), 0);
    assert_int_equal(PGOFF(four), 0);
    assert_int_equal(nr_free_pages(), before - 5);
    memset(four, 0xa5, 4 * PGSIZE);
    memset(one, 0x5a, PGSIZE);
    assert_int_equal(four[4 * PGSIZE - 1], (char)0xa5);
    assert_int_equal(one[0], 0x5a);
    kfree(four);
    kfree(one);
    assert_int_equal(nr_free_pages(), before);
}

static void test_failure_changes_nothing(void **state)
{
    setup(state);
    size_t before = nr_free_pages();
    assert_null(kmalloc(0));
    assert_null(kmalloc((NPAGE + 1) * (size_t)PGSIZE));
    assert_null(kmalloc((size_t)-1));
    kfree(NULL);
    assert_int_equal(nr_free_pages(), before);
}

/* fill - give object @p of @n bytes a pattern derived from @seed. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (unsigned char)(seed * 31 + i);
    }
}

static bool intact(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != (unsigned char)(seed * 31 + i)) {
            return false;
        }
    }
    return true;
}

/* churn - a random kmalloc/kfree workload, every object filled with its
 * own pattern and checked before it is freed; frees everything at the end. */
static void churn(uint32_t seed)
{
    enum { LIVE = 2000, OPS = 40000 };
    static unsigned char *obj[LIVE];
    static size_t len[LIVE];
    static unsigned tag[LIVE];
    size_t live = 0;
    srand(seed);
    for (unsigned i = 0; i < OPS || live > 0; i++) {
        if (live > 0 && (i >= OPS || live == LIVE || rand() % 2)) {
            size_t j = rand() % live;
            assert_true(intact(obj[j], len[j], tag[j]));
            kfree(obj[j]);
            live--;
            obj[j] = obj[live], len[j] = len[live], tag[j] = tag[live];
            continue;
        }
        size_t n = rand() % 8 ? 1 + rand() % 600 : 1 + rand() % (3 * PGSIZE);
        assert_non_null(obj[live] = kmalloc(n));
        len[live] = n;
        tag[live] = i;
        fill(obj[live++], n, i);
    }
}

static void test_no_overlap_no_leak(void **state)
{
    setup(state);
    size_t before = nr_free_pages();
    churn(1);
    size_t after_one = nr_free_pages();
    assert_true(before - after_one <= 16); /* a few empty slabs kept at most */
    churn(2);
    assert_int_equal(nr_free_pages(), after_one); /* steady: nothing leaks */
}

static void test_out_of_memory(void **state)
{
    setup(state);
    size_t before = nr_free_pages(), count = 0;
    void **chain = NULL, **p;
    while ((p = kmalloc(64)) != NULL) {
        *p = chain;
        chain = p;
        count++;
    }
    assert_int_equal(nr_free_pages(), 0);
    assert_true(count > (NPAGE / 2) * (PGSIZE / 64 / 2));
    assert_null(kmalloc(8));
    while (chain != NULL) {
        p = *chain;
        kfree(chain);
        chain = p;
    }
    assert_true(before - nr_free_pages() <= 16);
}

#define expect_panic(stmt, text)                                               \
    do {                                                                       \
        assert_true(HOST_PANICS(stmt));                                        \
        if (strstr(host_panic_msg, (text)) == NULL) {                          \
            fail_msg("panic message \"%s\" lacks \"%s\"", host_panic_msg,      \
                     (text));                                                  \
        }                                                                      \
    } while (0)

static void test_bad_frees(void **state)
{
    setup(state);
    char *small = kmalloc(64), *big = kmalloc(2 * PGSIZE), *keep = kmalloc(64);
    expect_panic(kfree(small + 8), "is not allocated by kmalloc");
    expect_panic(kfree(big + PGSIZE), "inside a large object");
    int local;
    expect_panic(kfree(&local), "outside the direct map");
    kfree(small);
    expect_panic(kfree(small), "double free");
    kfree(big);
    expect_panic(kfree(big), "double free");
    kfree(keep);
}

/* Frames below npage_direct are the kernel pool's; with more RAM than the
 * direct map (npage up to 2^20 on a 4 GiB machine) kfree must still judge
 * a pointer by the direct map alone, and with its own message: not wrap
 * npage * PGSIZE, and not hand VPT or a kmap slot to kva2page. */
static void test_foreign_pointers_above_the_kernel_pool(void **state)
{
    setup(state);
    size_t saved_npage = npage, saved_direct = npage_direct;
    npage = (size_t)1 << 20;
    npage_direct = NPAGE / 2; /* the upper half: the process pool */
    void *proc = (void *)(uintptr_t)(KERNBASE + (NPAGE / 2) * PGSIZE);
    void *foreign[] = {proc, (void *)(uintptr_t)KMAP_BASE,
                       (void *)(uintptr_t)VPT, (void *)(uintptr_t)KERNTOP};
    for (size_t i = 0; i < ARRAY_SIZE(foreign); i++) {
        expect_panic(kfree(foreign[i]), "kfree: ");
        if (strstr(host_panic_msg, "outside the direct map") == NULL) {
            fail_msg("kfree(%p): \"%s\"", foreign[i], host_panic_msg);
        }
    }
    npage = saved_npage;
    npage_direct = saved_direct;
}

/* A large object on the last frames the maps cover, on a machine with
 * frames above them: kfree gives back exactly its pages, reading no bit
 * past KM_MAX_PAGES (the old bound was npage). */
static void test_large_object_at_the_top_of_the_direct_map(void **state)
{
    const size_t top = KMEMSIZE / PGSIZE;
    host_setup(UNIT_PMM(state)->m, top, HOST_BACKING | HOST_QUIET);
    kmalloc_init();
    size_t count = nr_free_pages();
    struct Page **all = malloc(count * sizeof(*all));
    assert_non_null(all);
    for (size_t i = 0; i < count; i++) {
        assert_non_null(all[i] = alloc_pages(1));
    }
    for (size_t i = 0; i < count; i++) { /* free the last 4 frames only */
        if (all[i] - pages >= (long)(top - 4)) {
            free_pages(all[i], 1);
            all[i] = NULL;
        }
    }
    char *obj = kmalloc(3 * PGSIZE + 1);
    assert_ptr_equal(obj, (char *)(uintptr_t)KERNBASE + (top - 4) * PGSIZE);
    assert_int_equal(nr_free_pages(), 0);
    size_t saved_npage = npage;
    npage = top + 64; /* RAM above the direct map: frames it does not cover */
    kfree(obj);
    npage = saved_npage;
    assert_int_equal(nr_free_pages(), 4);
    for (size_t i = 0; i < count; i++) {
        if (all[i] != NULL) {
            free_pages(all[i], 1);
        }
    }
    free(all);
    assert_int_equal(nr_free_pages(), count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_slab_passes),
        cmocka_unit_test(test_size_classes),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_large_objects_take_whole_pages),
        cmocka_unit_test(test_failure_changes_nothing),
        cmocka_unit_test(test_no_overlap_no_leak),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_bad_frees),
        cmocka_unit_test(test_foreign_pointers_above_the_kernel_pool),
        cmocka_unit_test(test_large_object_at_the_top_of_the_direct_map),
    };
    return unit_run("kmalloc on", tests, ARRAY_SIZE(tests), UNIT_ALL_RULES) !=
           0;
}
