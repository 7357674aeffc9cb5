/*
 * bench_replace.c -- make bench-replace: every replacement policy
 * (kern/mm/swap/swap_*.c, compiled unchanged), exact LRU and Belady's OPT
 * replayed on the same reference strings at 16, 64 and 256 frames.
 *
 * usage: bench_replace OUTDIR TRACEDIR
 *   OUTDIR/replace.csv  trace,frames,policy,refs,faults,writebacks
 *   OUTDIR/replace.md   the same as tables
 *   OUTDIR/replace.dat  fault rates for plot.gp, one block per trace
 * and on stdout the 64-frame table and the targets, each MET or NOT MET.
 * Recorded kernel traces are TRACEDIR/\*.trace (traces.h); none is fine.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <swap_manager.h>

#include "../lib/host_out.h"
#include "traces.h"

extern const struct swap_manager swap_manager_fifo, swap_manager_clock,
    swap_manager_eclock, swap_manager_clockpro;

/* The columns: the policies, then LRU and OPT (no table). */
static const struct swap_manager *const policies[] = {
    &swap_manager_fifo, &swap_manager_clock, &swap_manager_eclock,
    &swap_manager_clockpro,
};
enum { NPOL = ARRAY_SIZE(policies), COL_LRU = NPOL, COL_OPT, NCOL };
enum { COL_FIFO, COL_CLOCK, COL_ECLOCK, COL_CLOCKPRO };

static const size_t frame_counts[] = {16, 64, 256};
#define NFRAMES ARRAY_SIZE(frame_counts)
#define MAXTRACES 32

static const char *col_name(int c)
{
    return c < NPOL ? policies[c]->name : c == COL_LRU ? "lru" : "opt";
}

static struct row {
    char trace[48];
    struct sim_result r[NFRAMES][NCOL];
} rows[MAXTRACES];
static size_t nrows;

static double rate(const struct sim_result *r)
{
    return 100.0 * (double)r->faults / (double)r->refs;
}

/* run - every column on @t at frame count @k (@t is fixed, or NULL for
 * synthetic trace @kind made for that frame count). */
static void run(struct row *row, const struct trace *t, int kind, size_t k)
{
    struct trace made;
    if (t == NULL) {
        made = trace_make((enum trace_kind)kind, frame_counts[k]);
        t = &made;
    }
    for (int c = 0; c < NPOL; c++) {
        row->r[k][c] = sim_policy(policies[c], t, frame_counts[k]);
    }
    row->r[k][COL_LRU] = sim_lru(t, frame_counts[k]);
    row->r[k][COL_OPT] = sim_opt(t, frame_counts[k]);
    if (t == &made) {
        trace_free(&made);
    }
}

static void run_all(const char *tracedir)
{
    for (int kind = 0; kind < T_NKINDS; kind++) {
        struct row *row = &rows[nrows++];
        snprintf(row->trace, sizeof(row->trace), "%s", trace_names[kind]);
        for (size_t k = 0; k < NFRAMES; k++) {
            run(row, NULL, kind, k);
        }
    }
    char pattern[512];
    snprintf(pattern, sizeof(pattern), "%s/*.trace", tracedir);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) {
        printf("no recorded kernel traces (%s): skipped\n\n", pattern);
        return;
    }
    for (size_t i = 0; i < g.gl_pathc && nrows < MAXTRACES; i++) {
        struct trace t;
        if (!trace_load(g.gl_pathv[i], &t)) {
            printf("%s: unreadable or empty: skipped\n", g.gl_pathv[i]);
            continue;
        }
        struct row *row = &rows[nrows++];
        snprintf(row->trace, sizeof(row->trace), "%s", t.name);
        for (size_t k = 0; k < NFRAMES; k++) {
            run(row, &t, 0, k);
        }
        trace_free(&t);
    }
    globfree(&g);
}

static void write_csv(const char *dir)
{
    FILE *f = host_open_out(dir, "replace.csv");
    fprintf(f, "trace,frames,policy,refs,faults,writebacks\n");
    for (size_t t = 0; t < nrows; t++) {
        for (size_t k = 0; k < NFRAMES; k++) {
            for (int c = 0; c < NCOL; c++) {
                const struct sim_result *r = &rows[t].r[k][c];
                fprintf(f, "%s,%zu,%s,%lu,%lu,%lu\n", rows[t].trace, frame_counts[k],
                        col_name(c), r->refs, r->faults, r->writebacks);
            }
        }
    }
    fclose(f);
}

/* table - the rows at frame index @k (all when @k < 0): fault rate and
 * write-backs per column, markdown. */
static void table(FILE *f, int k)
{
    fprintf(f, "| trace | frames | refs |");
    for (int c = 0; c < NCOL; c++) {
        fprintf(f, " %s |", col_name(c));
    }
    fprintf(f, "\n|---|---:|---:|");
    for (int c = 0; c < NCOL; c++) {
        fprintf(f, "---:|");
    }
    fprintf(f, "\n");
    for (size_t t = 0; t < nrows; t++) {
        for (size_t j = 0; j < NFRAMES; j++) {
            if (k >= 0 && (size_t)k != j) {
                continue;
            }
            fprintf(f, "| %s | %zu | %lu |", rows[t].trace, frame_counts[j],
                    rows[t].r[j][0].refs);
            for (int c = 0; c < NCOL; c++) {
                fprintf(f, " %.2f%% / %lu |", rate(&rows[t].r[j][c]),
                        rows[t].r[j][c].writebacks);
            }
            fprintf(f, "\n");
        }
    }
}

static void write_md(const char *dir)
{
    FILE *f = host_open_out(dir, "replace.md");
    fprintf(f, "# Page replacement on the host (make bench-replace)\n\n"
               "Each cell: fault rate / pages written back.  The policies are\n"
               "kern/mm/swap/swap_*.c compiled unchanged; lru and opt are exact.\n\n");
    table(f, -1);
    fclose(f);
}

static void write_dat(const char *dir)
{
    FILE *f = host_open_out(dir, "replace.dat");
    for (size_t t = 0; t < nrows; t++) {
        fprintf(f, "frames");
        for (int c = 0; c < NCOL; c++) {
            fprintf(f, " %s", col_name(c));
        }
        fprintf(f, "\n");
        for (size_t k = 0; k < NFRAMES; k++) {
            fprintf(f, "%zu", frame_counts[k]);
            for (int c = 0; c < NCOL; c++) {
                fprintf(f, " %.4f", rate(&rows[t].r[k][c]));
            }
            fprintf(f, "\n");
        }
        fprintf(f, "\n\n");
    }
    fclose(f);
    f = host_open_out(dir, "replace.names");
    for (size_t t = 0; t < nrows; t++) {
        fprintf(f, "%s%s", t ? " " : "", rows[t].trace);
    }
    fprintf(f, "\n");
    fclose(f);
}

/* ---- the targets ----------------------------------------------------- */

static const struct row *find_row(const char *name)
{
    for (size_t t = 0; t < nrows; t++) {
        if (strcmp(rows[t].trace, name) == 0) {
            return &rows[t];
        }
    }
    return NULL;
}

static int verdict(bool met)
{
    printf("  %s\n", met ? "MET" : "NOT MET");
    return met ? 0 : 1;
}

/* gap_closed - at 64 frames, (clock - clockpro) / (clock - opt) on @name
 * is at least @want percent. */
static int gap_closed(const char *name, double want)
{
    const struct sim_result *r = find_row(name)->r[1];
    double gap = (double)r[COL_CLOCK].faults - (double)r[COL_OPT].faults;
    double closed = gap > 0 ? 100.0 * ((double)r[COL_CLOCK].faults -
                                       (double)r[COL_CLOCKPRO].faults) / gap : 100.0;
    printf("%-9s 64 frames: clock %lu, clockpro %lu, opt %lu faults: %.1f%% of the gap closed (want >= %.0f%%)",
           name, r[COL_CLOCK].faults, r[COL_CLOCKPRO].faults, r[COL_OPT].faults,
           closed, want);
    return verdict(closed >= want);
}

/* never_worse - clockpro's fault rate within 1 point of clock's on every
 * trace and frame count. */
static int never_worse(void)
{
    double worst = -1e9;
    const char *where = "";
    size_t at = 0;
    for (size_t t = 0; t < nrows; t++) {
        for (size_t k = 0; k < NFRAMES; k++) {
            double d = rate(&rows[t].r[k][COL_CLOCKPRO]) - rate(&rows[t].r[k][COL_CLOCK]);
            if (d > worst) {
                worst = d, where = rows[t].trace, at = frame_counts[k];
            }
        }
    }
    printf("clockpro - clock fault rate, worst case: %+.2f points (%s, %zu frames; want <= +1)",
           worst, where, at);
    return verdict(worst <= 1.0);
}

/* fewer_writebacks - eclock's write-backs against clock's on @name at
 * every frame count: fewer, or (@slack > 0) at most @slack percent more. */
static int fewer_writebacks(const char *name, double slack)
{
    const struct row *row = find_row(name);
    bool met = true;
    printf("eclock/clock write-backs on %-9s", name);
    for (size_t k = 0; k < NFRAMES; k++) {
        unsigned long e = row->r[k][COL_ECLOCK].writebacks;
        unsigned long c = row->r[k][COL_CLOCK].writebacks;
        printf(" %zu:%lu/%lu", frame_counts[k], e, c);
        met &= slack > 0 ? (double)e <= (double)c * (1 + slack / 100) : e < c;
    }
    printf(slack > 0 ? " (want <= +%.0f%%)" : " (want fewer)", slack);
    return verdict(met);
}

static int targets(void)
{
    int missed = gap_closed("hot+scan", 90) + gap_closed("loop", 90) +
                 gap_closed("zipf", 30) + never_worse();
    const char *fewer[] = {"loop", "zipf", "uniform", "hot+scan"};
    for (size_t i = 0; i < ARRAY_SIZE(fewer); i++) {
        missed += fewer_writebacks(fewer[i], 0);
    }
    return missed + fewer_writebacks("phases", 2);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s OUTDIR TRACEDIR\n", argv[0]);
        return 2;
    }
    run_all(argv[2]);
    write_csv(argv[1]);
    write_md(argv[1]);
    write_dat(argv[1]);
    printf("64 frames (fault rate / pages written back):\n\n");
    table(stdout, 1);
    printf("\n");
    int missed = targets();
    printf("\n%d target(s) not met\n", missed);
    return 0;
}
