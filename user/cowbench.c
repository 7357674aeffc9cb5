/* cowbench -- figures for fork (make bench-cow; not a test): fork of a
 * process with 4 MiB touched, in cycles (rdtsc, from the fork call to its
 * return in the parent) and pages copied, then the cost of one write
 * fault on a copy-on-write page while the frame is shared (the child's
 * writes: a copy) and once it is not (the parent's, after the child has
 * gone: a take-over), against a write that does not fault.  Under a
 * FORK=eager kernel the same program measures the eager copy. */
#include <stdio.h>
#include <ulib.h>

#define PGSIZE 4096
#define BYTES  (4 << 20)
#define NPAGES (BYTES / PGSIZE)
#define ROUNDS 8

static volatile uint8_t buf[BYTES] __attribute__((aligned(PGSIZE)));

static inline uint64_t rdtsc(void)
{
    uint64_t t;
    asm volatile("rdtsc" : "=A"(t));
    return t;
}

static struct vmstat stat(void)
{
    struct vmstat st;
    if (vmstat(&st) != 0) {
        panic("vmstat failed");
    }
    return st;
}

/* touch - write one byte of every page; the cycles per page. */
static uint64_t touch(uint8_t v)
{
    uint64_t t = rdtsc();
    for (size_t i = 0; i < BYTES; i += PGSIZE) {
        buf[i] = v;
    }
    return (rdtsc() - t) / NPAGES;
}

/* bench_fork - ROUNDS forks of children that exit at once. */
static void bench_fork(void)
{
    uint64_t cycles = 0;
    struct vmstat a = stat();
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t = rdtsc();
        int pid = fork();
        if (pid == 0) {
            exit(0);
        }
        cycles += rdtsc() - t;
        if (pid < 0 || waitpid(pid, NULL) != 0) {
            panic("fork or wait failed");
        }
    }
    struct vmstat b = stat();
    cprintf("cowbench: fork: %llu cycles/fork, %u pages copied by fork, "
            "%u COW copies after it (%d forks, %u KiB touched)\n",
            cycles / ROUNDS, (b.fork_copies - a.fork_copies) / ROUNDS,
            (b.cow_copy - a.cow_copy) / ROUNDS, ROUNDS, BYTES >> 10);
}

/* bench_faults - the child writes every page (shared: COW copies), then
 * the parent (no longer shared: take-overs), each against a second pass
 * that does not fault. */
static void bench_faults(void)
{
    int pid = fork();
    if (pid == 0) {
        struct vmstat a = stat();
        uint64_t fault = touch(2), plain = touch(3);
        struct vmstat b = stat();
        cprintf("cowbench: write fault, shared frame: %llu cycles/page "
                "(a write without fault: %llu; %u copies)\n",
                fault, plain, b.cow_copy - a.cow_copy);
        exit(0);
    }
    if (pid < 0 || waitpid(pid, NULL) != 0) {
        panic("fork or wait failed");
    }
    struct vmstat a = stat();
    uint64_t fault = touch(4), plain = touch(5);
    struct vmstat b = stat();
    cprintf("cowbench: write fault, last user: %llu cycles/page "
            "(a write without fault: %llu; %u take-overs)\n",
            fault, plain, b.cow_reuse - a.cow_reuse);
}

int main(void)
{
    touch(1);
    bench_fork();
    bench_faults();
    cprintf("cowbench: done\n");
    return 0;
}
