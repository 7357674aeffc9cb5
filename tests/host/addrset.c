/*
 * addrset.c -- the treap behind addrset.h.  Insert and erase are a split
 * by start and a merge, each O(depth); the depth is O(log n) expected
 * whatever order the starts come in, since the shape follows the random
 * priorities.
 */
#include <stdio.h>
#include <stdlib.h>

#include "addrset.h"

#define NIL ADDRSET_NONE

void addrset_init(struct addrset *s)
{
    *s = (struct addrset){.root = NIL, .spare = NIL, .rng = 0x2545f491};
}

void addrset_destroy(struct addrset *s)
{
    free(s->node);
    addrset_init(s);
}

/* new_id - an unused id, growing the node array when none is spare. */
static int32_t new_id(struct addrset *s)
{
    if (s->spare == NIL) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        struct addrset_node *n = realloc(s->node, cap * sizeof(*n));
        if (n == NULL || cap > INT32_MAX) {
            fprintf(stderr, "addrset: no memory for %zu nodes\n", cap);
            exit(2);
        }
        for (size_t i = cap; i-- > s->cap;) {
            n[i].right = s->spare;
            s->spare = (int32_t)i;
        }
        s->node = n;
        s->cap = cap;
    }
    int32_t id = s->spare;
    s->spare = s->node[id].right;
    return id;
}

/* split - cut tree @t into the nodes with start < @key (*@lo) and the
 * others (*@hi). */
static void split(struct addrset_node *n, int32_t t, uintptr_t key, int32_t *lo,
                  int32_t *hi)
{
    if (t == NIL) {
        *lo = *hi = NIL;
    } else if (n[t].start < key) {
        split(n, n[t].right, key, &n[t].right, hi);
        *lo = t;
    } else {
        split(n, n[t].left, key, lo, &n[t].left);
        *hi = t;
    }
}

/* merge - one tree of @a and @b, every start in @a below every one in @b. */
static int32_t merge(struct addrset_node *n, int32_t a, int32_t b)
{
    if (a == NIL || b == NIL) {
        return a == NIL ? b : a;
    }
    if (n[a].prio > n[b].prio) {
        n[a].right = merge(n, n[a].right, b);
        return a;
    }
    n[b].left = merge(n, a, n[b].left);
    return b;
}

int32_t addrset_insert(struct addrset *s, uintptr_t start, size_t len,
                       uint32_t tag)
{
    int32_t id = new_id(s), lo, hi;
    s->rng ^= s->rng << 13; /* xorshift32 */
    s->rng ^= s->rng >> 17;
    s->rng ^= s->rng << 5;
    s->node[id] = (struct addrset_node){.start = start,
                                        .len = len,
                                        .tag = tag,
                                        .prio = s->rng,
                                        .left = NIL,
                                        .right = NIL};
    split(s->node, s->root, start, &lo, &hi);
    s->root = merge(s->node, merge(s->node, lo, id), hi);
    s->count++;
    return id;
}

void addrset_erase(struct addrset *s, int32_t id)
{
    int32_t lo, mid, hi;
    uintptr_t start = s->node[id].start;
    split(s->node, s->root, start, &lo, &mid);
    split(s->node, mid, start + 1, &mid, &hi);
    if (mid != id) {
        fprintf(stderr, "addrset_erase: id %d (start %#lx) is not in the set\n",
                (int)id, (unsigned long)start);
        abort();
    }
    s->root = merge(s->node, lo, hi);
    s->node[id].right = s->spare;
    s->spare = id;
    s->count--;
}

/* The ranges are disjoint, so ordered by start they are ordered by end
 * too: the last one starting below @hi is the only one that can reach
 * past @lo if any does. */
int32_t addrset_meets(const struct addrset *s, uintptr_t lo, uintptr_t hi)
{
    int32_t t = s->root, last = NIL;
    while (t != NIL) {
        if (s->node[t].start < hi) {
            last = t;
            t = s->node[t].right;
        } else {
            t = s->node[t].left;
        }
    }
    if (last != NIL && s->node[last].start + s->node[last].len > lo) {
        return last;
    }
    return NIL;
}
