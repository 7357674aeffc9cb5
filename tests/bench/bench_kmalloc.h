/* bench_kmalloc.h -- kmalloc's part of make bench (bench_kmalloc.c). */
#ifndef TESTS_BENCH_BENCH_KMALLOC_H
#define TESTS_BENCH_BENCH_KMALLOC_H

#include <stdio.h>

/*
 * bench_kmalloc - time kmalloc/kfree on mixed traces over every page
 * manager and measure the memory kmalloc holds per byte requested; print
 * the table on stdout and, as a section of its own with notes, to @md.
 * Uses the shim (host_setup with HOST_BACKING at KERNBASE) and leaves it
 * torn down.
 */
void bench_kmalloc(FILE *md);

#endif /* !TESTS_BENCH_BENCH_KMALLOC_H */
