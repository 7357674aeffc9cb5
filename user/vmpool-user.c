/* vmpool-user.c -- the MP4 VMPool tests from user space, through mmap and
 * munmap on the process's pool [UMMAP_BASE, UMMAP_TOP) (256 MiB, its
 * first page the metadata): regions of increasing size, written and
 * checked; random allocation and release keeping half, contents checked;
 * ten times the pool's size cycled through; the pool kept across fork;
 * bad arguments refused; and legitimacy outside the live regions (an
 * unallocated or released address, the metadata page) killing a forked
 * child.  Regions are big but only the pages touched take frames: sized
 * for -m 16M (3 MiB process pool), at most ~300 pages are touched at once. */
#include <defs.h>
#include <error.h>
#include <unistd.h>
#include <string.h>
#include <stdio.h>
#include <ulib.h>
#include <test.h>

#define PGSIZE    4096                  /* the MMU's page (kern/mm/mmu.h) */
#define FIRST     (UMMAP_BASE + PGSIZE) /* after the metadata page */
#define POOL_FREE (UMMAP_SIZE - PGSIZE) /* what the pool can hand out */
#define SLOTS     128
#define ROUNDS    16
#define CHUNK     (UMMAP_SIZE / 8)

static uintptr_t map(size_t len)
{
    uintptr_t a = 0;
    int ret = mmap(&a, len, MMAP_WRITE);
    if (ret != 0) {
        fail("mmap(%u) returned %d", len, ret);
    }
    return a;
}

static void unmap(uintptr_t a, size_t len)
{
    int ret = munmap(a, len);
    if (ret != 0) {
        fail("munmap(%08x, %u) returned %d", a, len, ret);
    }
}

/* tag - the word stamped at @a for @key. */
static uint32_t tag(uintptr_t a, uint32_t key) { return a * 2654435761u ^ key; }

/* stamp / stamped - the first and last words of the first and last page
 * of the region [a, a + len) (zero before the stamp: fresh pages). */
static bool stamp(uintptr_t a, size_t len, uint32_t key)
{
    uintptr_t at[4] = {a, a + PGSIZE - 4, a + len - PGSIZE, a + len - 4};
    bool zero = true;
    for (int i = 0; i < 4; i++) {
        zero = zero && (*(uint32_t *)at[i] == 0 ||
                        *(uint32_t *)at[i] == tag(at[i], key));
        *(uint32_t *)at[i] = tag(at[i], key);
    }
    return zero;
}

static bool stamped(uintptr_t a, size_t len, uint32_t key)
{
    uintptr_t at[4] = {a, a + PGSIZE - 4, a + len - PGSIZE, a + len - 4};
    for (int i = 0; i < 4; i++) {
        if (*(uint32_t *)at[i] != tag(at[i], key)) {
            return false;
        }
    }
    return true;
}

/* increasing - MP4's GenerateVMPoolMemoryReferences (an array of 100 * i
 * ints written and read back, i = 1..49), then regions of 1..64 pages
 * kept, placed back to back by first fit, then all released. */
static void increasing(void)
{
    bool ok = true;
    for (int i = 1; i < 50 && ok; i++) {
        int n = 100 * i, *arr = (int *)map(n * sizeof(int));
        for (int j = 0; j < n; j++) {
            arr[j] = j;
        }
        for (int j = n - 1; j >= 0; j--) {
            ok = ok && arr[j] == j;
        }
        unmap((uintptr_t)arr, n * sizeof(int));
    }
    CHECK(ok, "arrays of 100..4900 ints written and read back");
    static uintptr_t r[65];
    uintptr_t want = FIRST;
    for (int i = 1; i <= 64 && ok; i++) {
        r[i] = map(i * PGSIZE - (i > 1 ? 123 : 0));
        ok = r[i] == want && stamp(r[i], i * PGSIZE, i);
        want += i * PGSIZE;
    }
    CHECK(ok, "regions of 1..64 pages placed back to back from %08x", FIRST);
    for (int i = 1; i <= 64 && ok; i++) {
        ok = stamped(r[i], i * PGSIZE, i);
        unmap(r[i], i * PGSIZE);
    }
    CHECK(ok, "their contents kept, and all released");
    uintptr_t all = map(POOL_FREE);
    CHECK(all == FIRST, "the free ranges coalesced: the whole pool fits again");
    unmap(all, POOL_FREE);
}

/* no_overlap - whether the live regions of @r/@len are disjoint. */
static bool no_overlap(const uintptr_t *r, const size_t *len)
{
    for (int i = 0; i < SLOTS; i++) {
        for (int j = i + 1; j < SLOTS && r[i] != 0; j++) {
            if (r[j] != 0 && r[i] < r[j] + len[j] && r[j] < r[i] + len[i]) {
                return false;
            }
        }
    }
    return true;
}

/* random_half - fill every empty slot with a region of 1..64 pages, check
 * all, release a random half (checked first); ROUNDS times, then all. */
static void random_half(void)
{
    static uintptr_t r[SLOTS];
    static size_t len[SLOTS];
    rand_seed(4);
    bool ok = true;
    for (int round = 0; round < ROUNDS && ok; round++) {
        for (int s = 0; s < SLOTS && ok; s++) {
            if (r[s] == 0) {
                len[s] = (1 + rand_next() % 64) * PGSIZE - rand_next() % 100;
                r[s] = map(len[s]);
                len[s] = ROUNDUP(len[s], PGSIZE);
                ok = stamp(r[s], len[s], s);
            }
        }
        ok = ok && no_overlap(r, len);
        for (int s = 0; s < SLOTS && ok; s++) {
            ok = stamped(r[s], len[s], s);
            if (ok && rand_next() % 2 == 0) {
                unmap(r[s], len[s]);
                r[s] = 0;
            }
        }
    }
    for (int s = 0; s < SLOTS && ok; s++) {
        ok = r[s] == 0 || stamped(r[s], len[s], s);
        if (r[s] != 0) {
            unmap(r[s], len[s]);
        }
    }
    CHECK(ok,
          "%d rounds of %d regions of 1..64 pages, a random half "
          "released each round: disjoint, contents kept",
          ROUNDS, SLOTS);
    uintptr_t all = map(POOL_FREE);
    CHECK(all == FIRST, "all released: the whole pool fits again");
    unmap(all, POOL_FREE);
}

/* cycle - regions of an eighth of the pool, seven at a time, stamped,
 * checked and released, until ten times the pool has gone through. */
static void cycle(void)
{
    uintptr_t r[7];
    size_t total = 0;
    bool ok = true;
    for (uint32_t key = 1; total < 10 * (size_t)UMMAP_SIZE && ok; key++) {
        for (int i = 0; i < 7 && ok; i++) {
            r[i] = map(CHUNK);
            ok = r[i] == FIRST + i * CHUNK && stamp(r[i], CHUNK, key);
        }
        for (int i = 0; i < 7 && ok; i++) {
            ok = stamped(r[i], CHUNK, key);
            unmap(r[i], CHUNK);
            total += CHUNK;
        }
    }
    CHECK(ok, "ten times the pool (%u MiB) cycled through in %u MiB regions",
          10 * UMMAP_SIZE >> 20, CHUNK >> 20);
}

/* dies - whether a child that reads @addr is killed (exit status -1). */
static bool dies(uintptr_t addr)
{
    int pid = fork(), status = 0;
    if (pid == 0) {
        cprintf("vmpool-user child read %u\n", *(volatile uint32_t *)addr);
        exit(0);
    }
    return pid > 0 && waitpid(pid, &status) == 0 && status == -1;
}

/* legitimacy - a free address of the pool, a released region and the
 * metadata page each kill a child; a live region does not. */
static void legitimacy(void)
{
    uintptr_t a = map(3 * PGSIZE);
    stamp(a, 3 * PGSIZE, 7);
    CHECK(!dies(a + PGSIZE) && stamped(a, 3 * PGSIZE, 7),
          "a child reads a live region");
    CHECK(dies(UMMAP_TOP - PGSIZE), "a child touching a free address of the "
                                    "pool is killed");
    unmap(a, 3 * PGSIZE);
    CHECK(dies(a), "a child touching a released region is killed");
    CHECK(dies(UMMAP_BASE), "a child touching the pool's metadata is killed");
}

/* inherited - a child sees its parent's regions and data, and changes its
 * own copy of the pool (mmap, munmap, writes) without touching the
 * parent's. */
static void inherited(void)
{
    uintptr_t a = map(2 * PGSIZE), b = map(PGSIZE);
    stamp(a, 2 * PGSIZE, 11);
    stamp(b, PGSIZE, 12);
    int pid = fork(), status = 0;
    if (pid == 0) {
        bool ok = stamped(a, 2 * PGSIZE, 11) && stamped(b, PGSIZE, 12);
        unmap(b, PGSIZE);
        uintptr_t c = map(PGSIZE);
        ok = ok && c == b && stamp(c, PGSIZE, 13); /* fresh: zero */
        stamp(a, 2 * PGSIZE, 14);
        exit(ok && munmap(a + PGSIZE, PGSIZE) == -E_INVAL ? 0 : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &status) == 0 && status == 0,
          "a forked child inherits the pool, its regions and their data");
    CHECK(stamped(a, 2 * PGSIZE, 11) && stamped(b, PGSIZE, 12),
          "the parent's regions are its own after the child changed its copy");
    unmap(a, 2 * PGSIZE);
    unmap(b, PGSIZE);
}

/* bad_args - every bad argument is -E_INVAL and changes nothing. */
static void bad_args(void)
{
    uintptr_t a = 0, hint = FIRST;
    bool ok = mmap(&a, 0, 0) == -E_INVAL &&
              mmap(&a, UMMAP_SIZE, 0) == -E_INVAL &&
              mmap(&hint, PGSIZE, 0) == -E_INVAL &&
              mmap(&a, PGSIZE, 0x1) == -E_INVAL &&
              mmap(NULL, PGSIZE, 0) == -E_INVAL &&
              mmap((uintptr_t *)0xC0000000, PGSIZE, 0) == -E_INVAL &&
              mmap((uintptr_t *)0x800020, PGSIZE, 0) == -E_INVAL;
    CHECK(ok, "mmap: length 0 or beyond the pool, an address hint, an "
              "unknown flag, a bad store: -E_INVAL");
    uintptr_t r = map(2 * PGSIZE);
    ok = munmap(r + 8, 2 * PGSIZE) == -E_INVAL &&
         munmap(r + PGSIZE, PGSIZE) == -E_INVAL &&
         munmap(r, PGSIZE) == -E_INVAL && munmap(r, 0) == -E_INVAL &&
         munmap(UMMAP_TOP - PGSIZE, PGSIZE) == -E_INVAL &&
         munmap(UMMAP_BASE, PGSIZE) == -E_INVAL &&
         munmap(0x800000, PGSIZE) == -E_INVAL &&
         munmap(0xC0000000, PGSIZE) == -E_INVAL;
    unmap(r, 2 * PGSIZE);
    ok = ok && munmap(r, 2 * PGSIZE) == -E_INVAL && map(PGSIZE) == r;
    unmap(r, PGSIZE);
    CHECK(ok, "munmap: unaligned, inside a region, a wrong length, outside "
              "the pool, twice: -E_INVAL");
}

int main(void)
{
    test_begin("vmpool-user");
    increasing();
    random_half();
    cycle();
    inherited();
    bad_args();
    legitimacy();
    return test_end();
}
