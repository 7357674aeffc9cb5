/* host_out.h -- output files of the host benchmarks (tests/bench,
 * tests/replace). */
#ifndef TESTS_LIB_HOST_OUT_H
#define TESTS_LIB_HOST_OUT_H

#include <stdio.h>

/* host_open_out - @dir/@name opened for writing; when it cannot be, says
 * why (perror, naming the path) and exits with status 2. */
FILE *host_open_out(const char *dir, const char *name);

#endif /* !TESTS_LIB_HOST_OUT_H */
