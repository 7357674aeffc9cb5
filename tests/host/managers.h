/* managers.h -- every page allocator the host harness knows, with the
 * placement rule each one promises (what the model checks it against). */
#ifndef TESTS_HOST_MANAGERS_H
#define TESTS_HOST_MANAGERS_H

#include "shim.h"

enum pmm_rule {
    RULE_FIRST_FIT, /* the lowest-addressed free block that fits, its head */
    RULE_BEST_FIT,  /* the head of the smallest free block that fits, the
                       lowest-addressed one of equals */
    RULE_BUDDY,     /* a naturally aligned block: one of exactly n pages
                       freed as such (cached), or the first n pages of a
                       wholly free run of n rounded up to a power of two,
                       no higher than the lowest such run no cache can
                       hold (buddy_pmm.h) */
};

struct host_pmm {
    const char *name; /* as on the command line: default, fast_ff, ... */
    const struct pmm_manager *m;
    enum pmm_rule rule;
};

extern const struct host_pmm host_pmms[];
extern const size_t host_npmms;

/* host_pmm_find - the manager called @name; exits naming the choices if
 * there is none. */
const struct host_pmm *host_pmm_find(const char *name);

/* struct ff_mode - fast_ff's choice between its list and its index
 * (fast_ff_pmm.h), replayed from the number of free blocks after each
 * alloc or free, so that a test sees how often its traces make fast_ff
 * switch. */
struct ff_mode {
    bool indexed;
    size_t to_index, to_list; /* switches so far */
};

/* ff_mode_note - an alloc or free left @blocks free blocks. */
void ff_mode_note(struct ff_mode *m, size_t blocks);

#endif /* !TESTS_HOST_MANAGERS_H */
