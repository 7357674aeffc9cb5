/* merge.c -- the merge-sort tests (merge.h). */
#include <defs.h>
#include <string.h>
#include <ulib.h>
#include <cksum.h>
#include <test.h>
#include <merge.h>

#define CHUNK_CNT  8
#define CHUNK_SIZE (128 * 1024)
#define SIZE       (CHUNK_CNT * CHUNK_SIZE)

static unsigned char buf1[SIZE], buf2[SIZE];

/* make_chunk - chunk @i's bytes (from its seed) into @p. */
static void make_chunk(int i, unsigned char *p)
{
    rand_seed((uint32_t)i + 1);
    rand_bytes(p, CHUNK_SIZE);
}

/* count_sort - sort the @n bytes at @p by counting them. */
static void count_sort(unsigned char *p, size_t n)
{
    size_t hist[256] = {0};
    for (size_t k = 0; k < n; k++) {
        hist[p[k]]++;
    }
    for (int v = 0; v < 256; v++) {
        memset(p, v, hist[v]);
        p += hist[v];
    }
}

/* quick_sort - sort [@lo, @hi) with a three-way partition (the many
 * equal bytes cost nothing) and recursion: the stack is what is tested. */
static void quick_sort(unsigned char *lo, unsigned char *hi)
{
    if (hi - lo < 2) {
        return;
    }
    unsigned char pivot = lo[(hi - lo) / 2], *lt = lo, *gt = hi, *p = lo;
    while (p < gt) {
        unsigned char v = *p;
        if (v < pivot) {
            *p++ = *lt;
            *lt++ = v;
        } else if (v > pivot) {
            *p = *--gt;
            *gt = v;
        } else {
            p++;
        }
    }
    quick_sort(lo, lt);
    quick_sort(gt, hi);
}

static int sum31(const unsigned char *p) { return cksum(p, CHUNK_SIZE) >> 1; }

/* child - make and sort chunk @i, exit with its checksum. */
static void __noreturn child(int i, enum merge_mode mode)
{
    if (mode == MERGE_STK) {
        unsigned char chunk[CHUNK_SIZE];
        make_chunk(i, chunk);
        quick_sort(chunk, chunk + CHUNK_SIZE);
        exit(sum31(chunk));
    }
    unsigned char *chunk = buf1 + (size_t)i * CHUNK_SIZE;
    make_chunk(i, chunk);
    count_sort(chunk, CHUNK_SIZE);
    exit(sum31(chunk));
}

/* sort_chunks - a child per chunk (waiting for each at once in
 * MERGE_SEQ); their checksums into @sums. */
static void sort_chunks(enum merge_mode mode, int sums[CHUNK_CNT])
{
    int pids[CHUNK_CNT];
    for (int i = 0; i < CHUNK_CNT; i++) {
        msg("sort chunk %d", i);
        if ((pids[i] = fork()) == 0) {
            child(i, mode);
        }
        if (pids[i] < 0) {
            fail("fork for chunk %d: %d", i, pids[i]);
        }
        if (mode == MERGE_SEQ && waitpid(pids[i], &sums[i]) != 0) {
            fail("wait for chunk %d", i);
        }
    }
    for (int i = 0; mode != MERGE_SEQ && i < CHUNK_CNT; i++) {
        if (waitpid(pids[i], &sums[i]) != 0) {
            fail("wait for chunk %d", i);
        }
    }
}

/* merge - the CHUNK_CNT sorted chunks of buf1 into buf2 (Pintos's). */
static void merge(void)
{
    unsigned char *mp[CHUNK_CNT], *op = buf2;
    size_t left = CHUNK_CNT;
    for (size_t i = 0; i < CHUNK_CNT; i++) {
        mp[i] = buf1 + CHUNK_SIZE * i;
    }
    while (left > 0) {
        size_t min = 0;
        for (size_t i = 1; i < left; i++) {
            min = *mp[i] < *mp[min] ? i : min;
        }
        *op++ = *mp[min];
        if ((size_t)(++mp[min] - buf1) % CHUNK_SIZE == 0) {
            mp[min] = mp[--left];
        }
    }
}

/* verify - buf2 must hold @hist[v] bytes v, in increasing v. */
static void verify(size_t hist[256])
{
    size_t k = 0;
    for (int v = 0; v < 256; v++) {
        for (size_t n = 0; n < hist[v]; n++, k++) {
            if (buf2[k] != v) {
                fail("bad value %d in byte %lu", buf2[k], (unsigned long)k);
            }
        }
    }
    msg("success, buf_idx=%lu", (unsigned long)k);
}

int merge_test(const char *name, enum merge_mode mode)
{
    int sums[CHUNK_CNT];
    size_t hist[256] = {0};
    test_begin(name);
    sort_chunks(mode, sums);
    msg("init");
    for (int i = 0; i < CHUNK_CNT; i++) {
        unsigned char *chunk = buf1 + (size_t)i * CHUNK_SIZE;
        make_chunk(i, chunk);
        for (size_t k = 0; k < CHUNK_SIZE; k++) {
            hist[chunk[k]]++;
        }
        count_sort(chunk, CHUNK_SIZE);
        if (sum31(chunk) != sums[i]) {
            fail("chunk %d: the child's checksum %d is not %d", i, sums[i],
                 sum31(chunk));
        }
    }
    msg("every child's sorted chunk checks");
    msg("merge");
    merge();
    msg("verify");
    verify(hist);
    return test_end();
}
