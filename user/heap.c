/* heap.c -- the heap (brk) and malloc/free: the break starts after the
 * bss, grows with zeroed pages, keeps its data when it shrinks, hands the
 * pages above it back (they read as zero when it grows again, and a
 * touch after the shrink kills), stops at UHEAPTOP; then malloc/free
 * under stress with every block's contents checked, and the break back
 * where it started once everything is freed.  Sized for -m 16M (a 3 MiB
 * process pool): at most 16 heap pages and ~300 KiB of blocks at once. */
#include <defs.h>
#include <error.h>
#include <unistd.h>
#include <string.h>
#include <stdio.h>
#include <syscall.h>
#include <ulib.h>
#include <malloc.h>
#include <test.h>

#define PGSIZE  4096 /* the MMU's page (kern/mm/mmu.h) */
#define PAGES   16
#define SLOTS   256
#define ROUNDS  2000
#define MAXSIZE 2048

extern char end[];

/* brk_to - ask for the break @want; returns the break afterwards. */
static uintptr_t brk_to(uintptr_t want)
{
    uintptr_t b = want;
    if (sys_brk(&b) != 0) {
        fail("brk(%08x) returned an error", want);
    }
    return b;
}

/* page_word - the word written at word @i of heap page @p. */
static uint32_t page_word(int p, int i)
{
    return 0x9e3779b9u * (p * 1024 + i + 1);
}

/* fill / verify - page @p of the heap at @base with page_word, or zeros. */
static void fill(uintptr_t base, int p)
{
    uint32_t *w = (uint32_t *)(base + p * PGSIZE);
    for (int i = 0; i < PGSIZE / 4; i++) {
        w[i] = page_word(p, i);
    }
}

static bool holds(uintptr_t base, int p, bool zero)
{
    const uint32_t *w = (const uint32_t *)(base + p * PGSIZE);
    for (int i = 0; i < PGSIZE / 4; i++) {
        if (w[i] != (zero ? 0 : page_word(p, i))) {
            return false;
        }
    }
    return true;
}

/* dies - whether a child that reads @addr is killed (exit status -1). */
static bool dies(uintptr_t addr)
{
    int pid = fork(), status = 0;
    if (pid == 0) {
        cprintf("heap child reads %08x: %u\n", addr,
                *(volatile uint32_t *)addr);
        exit(0);
    }
    return pid > 0 && waitpid(pid, &status) == 0 && status == -1;
}

static void test_brk(uintptr_t b0)
{
    CHECK(b0 == ROUNDUP((uintptr_t)end, PGSIZE) && b0 > (uintptr_t)end - 1,
          "the break starts at the end of the bss, page-rounded");
    CHECK(brk_to(b0 + PAGES * PGSIZE - 100) == b0 + PAGES * PGSIZE,
          "brk grows by %d pages (rounded up)", PAGES);
    bool ok = true;
    for (int p = 0; p < PAGES; p++) {
        ok = ok && holds(b0, p, true);
        fill(b0, p);
    }
    for (int p = 0; p < PAGES; p++) {
        ok = ok && holds(b0, p, false);
    }
    CHECK(ok, "new heap pages read as zero and keep what is written");
    CHECK(brk_to(b0 + PAGES / 2 * PGSIZE) == b0 + PAGES / 2 * PGSIZE,
          "brk shrinks to %d pages", PAGES / 2);
    CHECK(dies(b0 + PAGES / 2 * PGSIZE),
          "a child touching above the break is killed");
    brk_to(b0 + PAGES * PGSIZE);
    ok = true;
    for (int p = 0; p < PAGES; p++) {
        ok = ok && holds(b0, p, p >= PAGES / 2);
    }
    CHECK(ok, "after growing again: the low half kept, the high half zero");
}

/* A valid break in read-only memory: brk may not move to it, as it
 * cannot write the result back. */
static const uintptr_t readonly_want = (uintptr_t)end + 64 * PGSIZE;

static void test_limits(uintptr_t b0)
{
    uintptr_t b = b0 + PAGES * PGSIZE;
    CHECK(brk_to(UHEAPTOP + PGSIZE) == b, "brk past UHEAPTOP is refused");
    CHECK(brk_to(0) == b, "brk(0) reads the break");
    CHECK(brk_to(b0 - PGSIZE) == b, "brk below the heap's start is refused");
    CHECK(brk_to(UHEAPTOP) == UHEAPTOP, "brk up to UHEAPTOP is allowed");
    *(volatile uint32_t *)(UHEAPTOP - 4) = 0x600dcafe;
    CHECK(*(volatile uint32_t *)(UHEAPTOP - 4) == 0x600dcafe &&
              holds(b0, 0, false),
          "the heap's last word is usable, its first page unchanged");
    CHECK(brk_to(b0) == b0, "brk shrinks back to the heap's start");
    CHECK(dies(b0), "a child touching the empty heap is killed");
    CHECK(sys_brk(NULL) == -E_INVAL &&
              sys_brk((uintptr_t *)0xC0000000) == -E_INVAL &&
              sys_brk((uintptr_t *)0x800020) == -E_INVAL,
          "brk with a NULL, kernel or read-only store is -E_INVAL");
    CHECK(sys_brk((uintptr_t *)&readonly_want) == -E_INVAL &&
              brk_to(0) == b0,
          "brk asked for a valid break from a read-only store moves nothing");
}

/* stamp - the byte @i of a block of @slot in @round. */
static uint8_t stamp(int slot, size_t size, size_t i)
{
    return (uint8_t)(slot * 31 + size * 7 + i * 13);
}

static bool block_ok(const uint8_t *p, int slot, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (p[i] != stamp(slot, size, i)) {
            return false;
        }
    }
    return true;
}

static void test_malloc(uintptr_t b0)
{
    static uint8_t *blk[SLOTS];
    static size_t len[SLOTS];
    rand_seed(8);
    bool ok = true;
    size_t peak = 0;
    for (int r = 0; r < ROUNDS && ok; r++) {
        int s = rand_next() % SLOTS;
        if (blk[s] != NULL) {
            ok = block_ok(blk[s], s, len[s]);
            free(blk[s]);
            blk[s] = NULL;
            continue;
        }
        len[s] =
            1 + rand_next() % (rand_next() % 8 == 0 ? 4 * MAXSIZE : MAXSIZE);
        if ((blk[s] = malloc(len[s])) == NULL || (uintptr_t)blk[s] % 8 != 0) {
            fail("malloc(%u) failed in round %d", len[s], r);
        }
        for (size_t i = 0; i < len[s]; i++) {
            blk[s][i] = stamp(s, len[s], i);
        }
        peak = MAX(peak, malloc_check());
    }
    CHECK(ok, "%d random mallocs and frees of 1..%d bytes: contents kept",
          ROUNDS, 4 * MAXSIZE);
    CHECK(peak > SLOTS / 4, "many blocks were live at once");
    for (int s = 0; s < SLOTS && ok; s++) {
        ok = blk[s] == NULL || block_ok(blk[s], s, len[s]);
        free(blk[s]);
    }
    CHECK(ok && malloc_check() == 0,
          "everything freed, contents checked first");
    CHECK(brk_to(0) == b0 && sbrk(0) == (void *)b0,
          "the break is back at the heap's start");
}

/* test_double_free - a child frees a block twice: a user panic. */
static void test_double_free(void)
{
    int pid = fork(), status = 0;
    if (pid == 0) {
        void *p = malloc(100), *q = malloc(100); /* q keeps p in the heap */
        free(p);
        free(p);
        free(q);
        exit(0);
    }
    CHECK(pid > 0 && waitpid(pid, &status) == 0 && status == -E_PANIC,
          "a double free is a user panic");
}

int main(void)
{
    test_begin("heap");
    uintptr_t b0 = brk_to(0);
    test_brk(b0);
    test_limits(b0);
    test_malloc(b0);
    test_double_free();
    return test_end();
}
