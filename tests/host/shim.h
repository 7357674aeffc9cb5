/*
 * shim.h -- the host side of the kernel's page-allocator interface.
 *
 * Kernel sources under kern/mm compile unchanged for the host
 * (-DKERN_HOST_BUILD) and link against this shim, which supplies what the
 * kernel would: the Page array (pages, npage), one instance of the manager
 * under test over the whole array (as kern/mm/pmm/pool.c makes each frame
 * pool one), the front ends alloc_pages/free_pages/nr_free_pages (pmm_guard
 * checks, then that instance), cprintf and __panic.  Memory behind
 * page2kva() is a real mapping at KERNBASE when asked for.
 *
 * The kernel's pmm_manager (a constant pointer to the PMM= manager) has no
 * host definition: the harness names its current manager host_manager.
 *
 * Harness files include the system headers they need first, then this one.
 */
#ifndef TESTS_HOST_SHIM_H
#define TESTS_HOST_SHIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include <pmm.h>

#include "../lib/host_panic.h"

/*
 * struct host_layout - where host_setup() put things, in page numbers.
 * Pages [0, lo_reserved) are reserved (the kernel image and the Page array of
 * a real machine), [hole_start, hole_end) is a reserved hole (a BIOS area),
 * and the two usable regions between them were handed to the manager by one
 * init_memmap call each.
 */
struct host_layout {
    size_t npage;
    size_t region_start[2];
    size_t region_len[2];
    size_t usable; /* region_len[0] + region_len[1] */
};

extern struct host_layout host_layout;

/* The manager host_setup() made current, and its instance: state_size(npage)
 * bytes of zeroed heap for a manager with .pool, NULL for one written the
 * handout's way (its one instance is its globals). */
extern const struct pmm_manager *host_manager;
extern struct pmm_state *host_state;

/*
 * host_page_observer - when set, told of every block the front ends hand
 * out (@taken true, after alloc_pages returned it) or take back (@taken
 * false, after pmm_guard accepted the free and before the manager sees
 * it).  The kmalloc model uses it to know which pages are in use, and to
 * poison the others for ASan.  host_setup leaves it as it is.
 */
extern void (*host_page_observer)(struct Page *base, size_t n, bool taken);

/* host_setup flags */
#define HOST_BACKING 1u /* npage * PGSIZE bytes of real memory at KERNBASE */
#define HOST_QUIET   2u /* drop cprintf output (managers' check() banners) */

/*
 * host_setup - build a fresh Page array of @npage pages, every page
 * reserved, with the layout described above; make @m the current manager
 * and create its one instance over the whole array (pool.init, or the
 * handout's init); then hand it the two usable regions, still reserved, by
 * one init_memmap each (the manager takes them over), as the kernel's
 * pool_create and pool_give do.  Any earlier setup is torn down first.
 * Exits the process with a message if memory cannot be had.
 */
void host_setup(const struct pmm_manager *m, size_t npage, unsigned flags);

/* host_teardown - free the instance and the Page array.  The backing
 * store's mapping stays for the next host_setup, which zeroes what it
 * needs (see map_backing in shim.c). */
void host_teardown(void);

/* Frames lent to a per-pool manager's self-check (the kernel's CHECK_FRAMES,
 * kern/mm/check/pmm_check.c). */
#define HOST_CHECK_FRAMES 256

enum host_check {
    HOST_CHECK_PASSED,  /* the self-check ran and returned */
    HOST_CHECK_NONE,    /* the manager has no self-check */
    HOST_CHECK_NO_ROOM, /* alloc_pages(HOST_CHECK_FRAMES) gave NULL; nothing
                           ran, nothing changed */
};

/*
 * host_run_check - run the current manager's self-check the way the
 * kernel's check_alloc_page does.  A manager written the handout's way runs
 * its check() on the live instance.  A per-pool manager's pool.check runs
 * on private instances: HOST_CHECK_FRAMES frames taken from the live
 * instance with alloc_pages and marked reserved, and state_size() bytes of
 * zeroed heap as scratch; afterwards the frames' flags, property and
 * reference counts are cleared and they are freed again.  Panics (through
 * __panic) when the check changed any Page outside the frames it was lent
 * or any byte of the live instance's state; a failing check panics itself.
 */
enum host_check host_run_check(void);

/* host_show_free - the current instance's show_free (its free blocks, one
 * "  [ppn a, b] n pages" line each, through cprintf); false, printing
 * nothing, when the manager cannot list them. */
bool host_show_free(void);

/* host_capture_begin / host_capture_end - between the two, cprintf output
 * (quiet or not) is collected instead of printed; end returns it as a
 * string the caller frees. */
void host_capture_begin(void);
char *host_capture_end(void);

#endif /* !TESTS_HOST_SHIM_H */
