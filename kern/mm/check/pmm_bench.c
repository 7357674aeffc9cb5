/*
 * pmm_bench.c -- the page allocator benchmark, in the kernel.
 *
 * The ops come from pmm_trace.h, as on the host, generated in chunks into a
 * static buffer between timed replays, so the time counted (rdtsc) is the
 * allocator's and the bookkeeping stays small and static (no kmalloc).
 */
#include <defs.h>
#include <x86.h>
#include <stdio.h>
#include <pmm.h>
#include <pmm_bench.h>
#include <pmm_trace.h>

#define BENCH_OPS     100000
#define BENCH_CHUNK   4096  /* ops generated per timed replay */
#define BENCH_MAXLIVE 16384 /* live blocks at most */
#define BENCH_SEED    12    /* as the host bench's realistic workload */

static struct pmm_trace_op ops[BENCH_CHUNK];
static uint32_t live_n[BENCH_MAXLIVE];
static struct Page *live_blk[BENCH_MAXLIVE];

void pmm_bench_run(void)
{
    size_t free_before = nr_free_pages();
    struct pmm_trace gen;
    struct pmm_replay r = {.blk = live_blk};
    pmm_trace_init(&gen, BENCH_SEED, &pmm_mix_realistic, free_before / 2,
                   live_n, BENCH_MAXLIVE, 0);
    uint64_t cycles = 0;
    for (uint32_t done = 0; done < BENCH_OPS;) {
        uint32_t n = MIN(BENCH_CHUNK, BENCH_OPS - done);
        for (uint32_t i = 0; i < n; i++) {
            ops[i] = pmm_trace_next(&gen);
        }
        uint64_t start = rdtsc();
        pmm_trace_replay(&r, ops, n);
        cycles += rdtsc() - start;
        done += n;
    }
    while (gen.nlive > 0) { /* give it all back, through the same replayer */
        ops[0] = pmm_trace_free(&gen, gen.nlive - 1);
        pmm_trace_replay(&r, ops, 1);
    }
    if (nr_free_pages() != free_before) {
        panic("pmm_bench: %lu pages free after the run, %lu before",
              (unsigned long)nr_free_pages(), (unsigned long)free_before);
    }
    cprintf("bench-kernel: %s %llu cycles/op (%u ops)\n", pmm_manager->name,
            cycles / BENCH_OPS, BENCH_OPS);
}
