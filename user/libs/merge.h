/* merge.h -- the merge-sort tests (Pintos's page-merge-seq, -par, -stk,
 * our code).  1 MiB of random bytes in 8 chunks of 128 KiB; a child per
 * chunk sorts it; the parent merges the sorted chunks and verifies.
 *
 * Without files, nothing big can travel between processes: a chunk is
 * defined by its seed (chunk i: rand_seed(i + 1), 128 KiB of rand_bytes),
 * which the child inherits through fork; the child makes the chunk,
 * sorts it and exits with the checksum of the sorted chunk (31 bits).
 * The parent makes the same 1 MiB, sorts each chunk too, checks every
 * child's checksum against its own chunk's, merges the 8 chunks into a
 * second 1 MiB buffer and verifies it against the histogram of the
 * input. */
#ifndef USER_LIBS_MERGE_H
#define USER_LIBS_MERGE_H

enum merge_mode {
    MERGE_SEQ, /* one child at a time, counting sort in bss */
    MERGE_PAR, /* all children at once, counting sort in bss */
    MERGE_STK, /* all at once, quicksort of a copy on the child's stack */
};

/* merge_test - run the test @name in @mode; returns main's exit code
 * (fails and exits 1 on a wrong result). */
int merge_test(const char *name, enum merge_mode mode);

#endif /* !USER_LIBS_MERGE_H */
