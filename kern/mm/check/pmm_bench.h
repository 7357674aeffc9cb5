/* pmm_bench.h -- the in-kernel page allocator benchmark (BENCH=1 builds). */
#ifndef KERN_MM_PMM_BENCH_H
#define KERN_MM_PMM_BENCH_H

/*
 * pmm_bench_run - replay the realistic pmm_trace workload (the one the host
 * benchmark runs) against the compiled-in manager through alloc_pages /
 * free_pages, holding half of the free memory in steady state; print one
 * line "bench-kernel: <manager> <cycles/op> cycles/op (<ops> ops)".
 * Frees everything it took and panics if the free count does not come back.
 */
void pmm_bench_run(void);

#endif /* !KERN_MM_PMM_BENCH_H */
