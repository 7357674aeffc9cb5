/*
 * addrset.h -- a set of disjoint address ranges [start, start + len),
 * ordered by start (a treap: a binary search tree by start, a heap by
 * random priority), so that the kmalloc checks cost O(log n) expected per
 * call however many objects are live.  Each range is a node with an id
 * the set hands out, and carries a 32-bit tag for the caller.
 */
#ifndef TESTS_HOST_ADDRSET_H
#define TESTS_HOST_ADDRSET_H

#include <stddef.h>
#include <stdint.h>

#define ADDRSET_NONE (-1)

struct addrset_node {
    uintptr_t start;
    size_t len;
    uint32_t tag;
    uint32_t prio;
    int32_t left, right; /* node ids, or ADDRSET_NONE; right: next spare */
};

struct addrset {
    struct addrset_node *node; /* indexed by id */
    size_t cap;                /* ids allocated */
    size_t count;              /* ranges in the set */
    int32_t root, spare;       /* spare: a list of unused ids */
    uint32_t rng;
};

/* addrset_init / addrset_destroy - an empty set; its memory. */
void addrset_init(struct addrset *s);
void addrset_destroy(struct addrset *s);

/* addrset_insert - add [@start, @start + @len) with @tag; returns its id.
 * The caller has checked it meets no range of the set (addrset_meets). */
int32_t addrset_insert(struct addrset *s, uintptr_t start, size_t len,
                       uint32_t tag);

/* addrset_erase - remove the range with id @id (its id becomes spare). */
void addrset_erase(struct addrset *s, int32_t id);

/* addrset_meets - the id of a range of the set that shares a byte with
 * [@lo, @hi) (@lo < @hi), or ADDRSET_NONE when none does. */
int32_t addrset_meets(const struct addrset *s, uintptr_t lo, uintptr_t hi);

#endif /* !TESTS_HOST_ADDRSET_H */
