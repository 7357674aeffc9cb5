/* swap-share -- pages shared by four processes go to swap and come back.
 * The parent fills a 1 MiB buffer with a known pattern and forks three
 * children; all four then read the whole buffer several times, each
 * process in its own page orders, and check every word.  Under a small
 * process pool (PROCMEM=512K: 128 frames) the shared pages are evicted
 * while four page tables map them: the first process to fault on one
 * reads it back and must map it for all four, and a process that faults
 * while the read is in flight must wait for it.  Then each process
 * writes its own pattern into its own quarter (copy-on-write on pages
 * that came back from swap) and checks it, and that the other three
 * quarters still hold the parent's pattern.  Children report a failure
 * on their own line and exit 1; the parent checks their exit codes.
 * Children print nothing else, so the parent's lines come in a fixed
 * order. */
#include <ulib.h>
#include <test.h>

#define PGSIZE     4096
#define NPAGES     256 /* 1 MiB: a power of two, see page_at */
#define WORDS_PG   (PGSIZE / sizeof(uint32_t))
#define NPROCS     4 /* the parent and three children */
#define QUARTER    (NPAGES / NPROCS)
#define ROUNDS     4
#define SHARED_SEED 0x9e3779b9u
#define OWN_SEED    0x7f4a7c15u

static uint32_t buf[NPAGES * WORDS_PG] __attribute__((aligned(PGSIZE)));

/* word - the pattern's word @i for @seed. */
static uint32_t word(size_t i, uint32_t seed) { return i * 2654435761u ^ seed; }

/* own_seed - the pattern process @who (0: the parent) writes. */
static uint32_t own_seed(int who) { return OWN_SEED + (uint32_t)who; }

/* page_at - the @j-th page process @who reads in round @round: an odd
 * stride over a power-of-two count visits every page once; the strides
 * (forward, backward, two jumps) and the starts differ per process. */
static size_t page_at(int who, int round, size_t j)
{
    static const size_t strides[] = {1, NPAGES - 1, 97, 37};
    size_t stride = strides[(who + round) % 4];
    size_t first = (size_t)who * QUARTER + (size_t)round * 13;
    return (first + j * stride) % NPAGES;
}

/* page_holds - whether every word of page @pg holds @seed's pattern. */
static bool page_holds(size_t pg, uint32_t seed)
{
    for (size_t i = pg * WORDS_PG; i < (pg + 1) * WORDS_PG; i++) {
        if (buf[i] != word(i, seed)) {
            return false;
        }
    }
    return true;
}

/* fill_pages - write @seed's pattern into pages [@first, @end). */
static void fill_pages(size_t first, size_t end, uint32_t seed)
{
    for (size_t i = first * WORDS_PG; i < end * WORDS_PG; i++) {
        buf[i] = word(i, seed);
    }
}

/* read_all - @who reads the buffer ROUNDS times in its orders, failing
 * on the first page that does not hold the shared pattern. */
static void read_all(int who)
{
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t j = 0; j < NPAGES; j++) {
            size_t pg = page_at(who, round, j);
            if (!page_holds(pg, SHARED_SEED)) {
                fail("process %d, round %d: page %u lost the shared pattern",
                     who, round, (unsigned)pg);
            }
        }
    }
}

/* write_own - @who writes its quarter, then checks it and that every
 * other page still holds the shared pattern. */
static void write_own(int who)
{
    size_t mine = (size_t)who * QUARTER;
    fill_pages(mine, mine + QUARTER, own_seed(who));
    for (size_t pg = 0; pg < NPAGES; pg++) {
        bool own = pg >= mine && pg < mine + QUARTER;
        if (!page_holds(pg, own ? own_seed(who) : SHARED_SEED)) {
            fail("process %d: page %u does not hold %s pattern", who,
                 (unsigned)pg, own ? "its own" : "the shared");
        }
    }
}

static struct vmstat stat(void)
{
    struct vmstat st;
    if (vmstat(&st) != 0) {
        fail("vmstat failed");
    }
    return st;
}

int main(void)
{
    int pids[NPROCS - 1];
    test_begin("swap-share");
    fill_pages(0, NPAGES, SHARED_SEED);
    msg("filled %u KiB", NPAGES * PGSIZE / 1024);
    struct vmstat before = stat();
    for (int c = 0; c < NPROCS - 1; c++) {
        if ((pids[c] = fork()) == 0) {
            read_all(c + 1);
            write_own(c + 1);
            exit(0);
        }
        CHECK(pids[c] > 0, "fork child %d", c + 1);
    }
    read_all(0);
    struct vmstat after = stat();
    msg("the parent read every page %d times in its orders", ROUNDS);
    CHECK(before.pool_frames >= NPAGES || after.swap_ins > before.swap_ins,
          "the pool holds the buffer, or shared pages came back from swap");
    write_own(0);
    msg("the parent's quarter is its own, the rest unchanged");
    bool ok = true;
    for (int c = 0; c < NPROCS - 1; c++) {
        int code = -1;
        ok = waitpid(pids[c], &code) == 0 && code == 0 && ok;
    }
    CHECK(ok, "every child exited 0");
    return test_end();
}
