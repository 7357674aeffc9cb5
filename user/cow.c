/* cow -- fork is copy-on-write.  A buffer is filled, then a child is
 * forked: fork must not copy it (the process pool barely moves), the
 * child's writes to half of its pages copy about half of them, each
 * process then sees its own bytes, and once the child is gone the parent
 * takes its pages over without copying.  Right after fork the parent
 * rewrites page 1, which the child must not see (the parent normally
 * runs first; when a tick lets the child run first the check proves
 * less, but it cannot fail for that).  A second child writes to the
 * program's code after fork and must still be killed.
 *
 * The buffer is 4 MiB when the process pool has room for at least twice
 * that (the buffer, the child's copies and some slack), else the largest
 * of 2 MiB, 1 MiB, 512 KiB that fits the same way: 1 MiB at -m 16M, whose
 * process pool is 3 MiB.  The figures print on lines the grade does not
 * check; the checks print fixed lines.
 *
 * Under a PROCMEM cap the buffer does not fit and pages go to swap and
 * back in the middle of the checks: frames used no longer measure
 * copying, so the checks that count frames (or the take-over faults a
 * page read back unshared no longer needs) apply only across stretches
 * in which nothing was swapped; the copy counters always apply. */
#include <stdio.h>
#include <ulib.h>
#include <test.h>

#define PGSIZE      4096
#define MAX_BYTES   (4 << 20)
#define MIN_BYTES   (512 << 10)
#define WORDS_PG    (PGSIZE / sizeof(uint32_t))
#define FORK_SLACK  16 /* page tables and stack pages fork may cost */
#define PARENT_SEED 0x9e3779b9u
#define CHILD_SEED  0x7f4a7c15u
#define EARLY_SEED  0xc2b2ae35u
#define LATER_SEED  0x85ebca6bu

static uint32_t buf[MAX_BYTES / sizeof(uint32_t)]
    __attribute__((aligned(PGSIZE)));
static int status = 1; /* .data: written by waitpid, through COW */

/* word - the pattern's word @i for @seed. */
static uint32_t word(size_t i, uint32_t seed) { return i * 2654435761u ^ seed; }

/* fill / same - write / compare every word of pages [first, npages) with
 * stride @step. */
static void fill(size_t first, size_t npages, size_t step, uint32_t seed)
{
    for (size_t pg = first; pg < npages; pg += step) {
        for (size_t i = pg * WORDS_PG; i < (pg + 1) * WORDS_PG; i++) {
            buf[i] = word(i, seed);
        }
    }
}

static bool same(size_t first, size_t npages, size_t step, uint32_t seed)
{
    for (size_t pg = first; pg < npages; pg += step) {
        for (size_t i = pg * WORDS_PG; i < (pg + 1) * WORDS_PG; i++) {
            if (buf[i] != word(i, seed)) {
                return false;
            }
        }
    }
    return true;
}

static struct vmstat stat(void)
{
    struct vmstat st;
    if (vmstat(&st) != 0) {
        fail("vmstat failed");
    }
    return st;
}

/* swapped - whether any page moved to or from swap between @a and @b. */
static bool swapped(const struct vmstat *a, const struct vmstat *b)
{
    return a->swap_outs != b->swap_outs || a->swap_ins != b->swap_ins;
}

static uint32_t used(const struct vmstat *st)
{
    return st->pool_frames - st->pool_free;
}

/* buffer_pages - the buffer's size in pages (see the top). */
static size_t buffer_pages(void)
{
    struct vmstat st = stat();
    size_t bytes = MAX_BYTES;
    while (bytes > MIN_BYTES && 2 * (bytes / PGSIZE) > st.pool_free) {
        bytes /= 2;
    }
    msg("buffer of %u KiB (process pool: %u KiB, %u KiB free)", bytes >> 10,
        st.pool_frames * 4, st.pool_free * 4);
    return bytes / PGSIZE;
}

/* child - runs right after fork: check that fork copied nothing, write
 * the even pages, check that about that many were copied and that it sees
 * its own bytes on them and the parent's on the others. */
static void child(size_t npages, const struct vmstat *before)
{
    struct vmstat a = stat();
    msg("frames used: %u before fork, %u after; %u of the child's %u pages "
        "shared",
        used(before), used(&a), a.shared, a.pages);
    CHECK(a.fork_copies == before->fork_copies &&
              a.cow_copy - before->cow_copy <= FORK_SLACK &&
              (swapped(before, &a) || used(&a) - used(before) <= FORK_SLACK),
          "fork copies no page");
    CHECK(a.shared + a.swapped >= npages,
          "the child shares the buffer's frames");
    fill(0, npages, 2, CHILD_SEED);
    struct vmstat b = stat();
    uint32_t half = (npages + 1) / 2;
    msg("child wrote %u pages: %u copied, %u taken over, frames used %u", half,
        b.cow_copy - a.cow_copy, b.cow_reuse - a.cow_reuse, used(&b));
    uint32_t copied = b.cow_copy - a.cow_copy, grown = used(&b) - used(&a);
    CHECK(
        copied >= half && copied <= half + FORK_SLACK &&
            (swapped(&a, &b) || (grown >= half && grown <= half + FORK_SLACK)),
        "the child's writes copy half of the buffer");
    bool own =
        same(0, npages, 2, CHILD_SEED) && same(1, npages, 2, PARENT_SEED);
    CHECK(own, "the child sees its own data");
    exit(0);
}

/* after_child - the child is gone: the parent's bytes are its own (page
 * 1 rewritten after fork, the others as before), no frame is shared any
 * more, and writing every page takes them over (page 1 is already the
 * parent's own). */
static void after_child(size_t npages)
{
    CHECK(status == 0, "waitpid stores the exit code in a copy-on-write page");
    bool own = same(0, 1, 1, PARENT_SEED) && same(1, 2, 1, EARLY_SEED) &&
               same(2, npages, 1, PARENT_SEED);
    CHECK(own, "the parent sees its own data");
    struct vmstat a = stat();
    CHECK(a.shared == 0, "no page is shared once the child has exited");
    fill(0, npages, 1, LATER_SEED);
    struct vmstat b = stat();
    msg("parent wrote %u pages: %u copied, %u taken over", npages,
        b.cow_copy - a.cow_copy, b.cow_reuse - a.cow_reuse);
    CHECK(b.cow_copy == a.cow_copy &&
              (swapped(&a, &b) || (b.cow_reuse - a.cow_reuse >= npages - 1 &&
                                   used(&b) == used(&a))),
          "the parent takes its pages over without copying");
    own = same(0, npages, 1, LATER_SEED);
    CHECK(own, "the parent keeps what it wrote");
}

/* write_code - a child that writes to the program's code after fork must
 * be killed: its page is read-only because its region is, not for COW. */
static void write_code(void)
{
    int pid = fork();
    if (pid == 0) {
        *(volatile uint8_t *)(uintptr_t)write_code = 0;
        exit(0);
    }
    bool killed = pid > 0 && waitpid(pid, &status) == 0 && status == -1;
    CHECK(killed, "a write to the code still kills the process after fork");
}

int main(void)
{
    test_begin("cow");
    size_t npages = buffer_pages();
    fill(0, npages, 1, PARENT_SEED);
    struct vmstat before = stat();
    int pid = fork();
    if (pid == 0) {
        child(npages, &before);
    }
    fill(1, 2, 1, EARLY_SEED);
    bool waited = pid > 0 && waitpid(pid, &status) == 0;
    CHECK(waited, "the child exits");
    after_child(npages);
    write_code();
    return test_end();
}
