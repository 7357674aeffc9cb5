/*
 * view.h -- the harness's own picture of memory, kept from the results of
 * alloc_pages/free_pages alone, and the checks that hold a manager to it.
 *
 * Every page is reserved, free or used in the view.  After each call the
 * harness tells the view what happened; the view checks the manager's answer
 * against its placement rule (managers.h) and against nr_free_pages().  A
 * failed check reports through view_fail (default: print and abort).
 */
#ifndef TESTS_HOST_VIEW_H
#define TESTS_HOST_VIEW_H

#include <stdint.h>

#include "managers.h"

enum { VIEW_RESERVED, VIEW_FREE, VIEW_USED };

struct view {
    enum pmm_rule rule;
    uint8_t *st;  /* per page: VIEW_* */
    size_t nfree; /* pages free in the view */
    size_t nruns; /* maximal runs of free pages: a coalescing manager's
                   * blocks */
    bool backing; /* tag used pages' memory and check the tags on free */
    /* RULE_BUDDY: per page, whether it was freed, since it was last
     * allocated, in a block buddy may have cached (maycache), and at the
     * first page of such a block its length (head) */
    uint8_t *maycache, *head;
};

/* view_fail - where failed checks go; tests may point it elsewhere (e.g. at
 * cmocka's fail).  It must not return. */
extern void (*view_fail)(const char *msg);

/* view_init - the view of a memory fresh from host_setup(). */
void view_init(struct view *v, enum pmm_rule rule, bool backing);
void view_destroy(struct view *v);

/*
 * view_alloc - alloc_pages(@n), checked and recorded: the answer must be a
 * block of @n pages free in the view (so inside one region, overlapping no
 * live block), placed as the rule says, or NULL only when the rule allows
 * nothing to fit; then nr_free_pages() must equal the view's count.
 */
struct Page *view_alloc(struct view *v, size_t n);

/* view_free - free_pages(@p, @n) of pages view_alloc handed out (a block or
 * part of one), checking first that nobody wrote into them (with backing)
 * and after that that nr_free_pages() agrees. */
void view_free(struct view *v, struct Page *p, size_t n);

/* view_record - note, unchecked, that [@p, @p + @n) became used (@used) or
 * free: for measurements, where the checks would cost too much. */
void view_record(struct view *v, struct Page *p, size_t n, bool used);

/* view_check_count - nr_free_pages() must equal the view's count (@after
 * names what just happened, for the message). */
void view_check_count(const struct view *v, const char *after);

/*
 * view_expect_whole - everything is free: nr_free_pages() must count every
 * usable page, and memory must drain in the largest blocks the rule
 * promises (a whole region at a time; for buddy, the largest naturally
 * aligned power of two left), each alloc succeeding.  The blocks are freed
 * again before returning.
 */
void view_expect_whole(struct view *v);

/* view_first_fit - page number of the lowest free run of >= @n pages, or
 * SIZE_MAX when there is none. */
size_t view_first_fit(const struct view *v, size_t n);

/* view_best_fit - page number of the shortest free run of >= @n pages (the
 * lowest of equals), or SIZE_MAX when there is none. */
size_t view_best_fit(const struct view *v, size_t n);

/* view_largest_run - length of the longest free run. */
size_t view_largest_run(const struct view *v);

/* view_buddy_lowest - page number of the lowest naturally aligned, entirely
 * free run of 2^@order pages, or SIZE_MAX when there is none. */
size_t view_buddy_lowest(const struct view *v, unsigned order);

/* view_buddy_order_fits - whether a naturally aligned, entirely free run of
 * 2^@order pages lies inside one region. */
bool view_buddy_order_fits(const struct view *v, unsigned order);

/* struct blocks - the live blocks a driver holds, for freeing at random. */
struct blocks {
    struct Page **p;
    size_t *n;
    size_t count, cap;
};

void blocks_init(struct blocks *b, size_t cap);
void blocks_destroy(struct blocks *b);
void blocks_push(struct blocks *b, struct Page *p, size_t n);
/* blocks_take - remove block @i (the last one moves into its slot). */
void blocks_take(struct blocks *b, size_t i, struct Page **p, size_t *n);

/* order_of - the smallest k with 2^k >= n. */
unsigned order_of(size_t n);

#endif /* !TESTS_HOST_VIEW_H */
