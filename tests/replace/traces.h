/* traces.h -- the reference strings of the replacement benchmark: the
 * synthetic ones, sized from the frame count and generated from fixed
 * seeds, and recorded kernel traces read from files. */
#ifndef TESTS_REPLACE_TRACES_H
#define TESTS_REPLACE_TRACES_H

#include "sim.h"

/* The synthetic traces, in report order. */
enum trace_kind { T_LOOP, T_UNIFORM, T_ZIPF, T_HOTSCAN, T_PHASES, T_NKINDS };

extern const char *const trace_names[T_NKINDS];

/* trace_make - trace @kind for @nframes frames (about 400 * @nframes
 * references, at least 50 000). */
struct trace trace_make(enum trace_kind kind, size_t nframes);

/* trace_load - a recorded trace: one reference a line, "PAGE r" or
 * "PAGE w" (PAGE a number, decimal or 0x hex: any page naming; they are
 * renumbered densely), '#' lines ignored.  false when @path cannot be
 * read or holds no reference. */
bool trace_load(const char *path, struct trace *t);

/* trace_from - a trace of the @n given pages, written where @writes is
 * nonzero (NULL: all reads). */
struct trace trace_from(const char *name, const uint32_t *pages,
                        const bool *writes, size_t n);

void trace_free(struct trace *t);

#endif /* !TESTS_REPLACE_TRACES_H */
