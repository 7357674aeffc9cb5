/*
 * alloc_check.c -- the random workload of the per-pool managers' self-
 * checks (alloc_check.h).  Everything goes through the manager's own calls
 * on the caller's private instance; nothing here knows a manager's state.
 */
#include <alloc_check.h>

#define RANDOM_OPS   4000
#define RANDOM_SLOTS 16

/* struct slot - a block the workload holds: @len pages at @blk, or none
 * (@blk NULL). */
struct slot {
    struct Page *blk;
    size_t len;
};

/* mark - set the reference count of the @n pages at @p to @ref (0 or 1),
 * asserting each had the other: a page handed out twice is caught. */
static void mark(struct Page *p, size_t n, int ref)
{
    for (size_t i = 0; i < n; i++) {
        assert(page_ref(p + i) == !ref);
        set_page_ref(p + i, ref);
    }
}

/* put_back - free the block @s holds, unmarking its pages first. */
static void put_back(struct pmm_state *st, const struct alloc_check_ops *ops,
                     struct slot *s)
{
    mark(s->blk, s->len, 0);
    ops->pool->free_pages(st, s->blk, s->len);
    s->blk = NULL;
}

/* take - allocate @s->len pages into @s: the block @ops->expect predicts,
 * exactly len pages off the free count (none when nothing is found), what
 * @ops->check_alloc asserts; then mark its pages.  Returns whether the
 * alloc found nothing. */
static bool take(struct pmm_state *st, const struct alloc_check_ops *ops,
                 struct slot *s)
{
    size_t before = ops->pool->nr_free_pages(st);
    struct Page *want = ops->expect != NULL ? ops->expect(st, s->len) : NULL;
    s->blk = ops->pool->alloc_pages(st, s->len);
    assert(ops->expect == NULL || s->blk == want);
    if (s->blk == NULL) {
        assert(ops->pool->nr_free_pages(st) == before);
        return true;
    }
    assert(ops->pool->nr_free_pages(st) == before - s->len);
    if (ops->check_alloc != NULL) {
        ops->check_alloc(st, s->blk, s->len);
    }
    mark(s->blk, s->len, 1);
    return false;
}

/* random_op - free the block in @s if it holds one, else allocate one of a
 * size drawn from @r (mostly 1..8 pages, one in four up to 64).  Returns
 * whether an allocation found nothing. */
static bool random_op(struct pmm_state *st, const struct alloc_check_ops *ops,
                      struct slot *s, uint32_t r)
{
    if (s->blk != NULL) {
        put_back(st, ops, s);
        return false;
    }
    s->len = 1 + (r % 4 == 0 ? (r / 4) % 64 : (r / 4) % 8);
    return take(st, ops, s);
}

void alloc_check_random(struct pmm_state *st, const struct alloc_check_ops *ops,
                        struct Page *frames, size_t n)
{
    struct slot slots[RANDOM_SLOTS] = {{NULL, 0}};
    size_t refused = 0;
    uint32_t seed = 12;
    ops->pool->init(st, frames, n);
    if (ops->prepare != NULL) {
        ops->prepare(st);
    }
    ops->pool->init_memmap(st, frames, n);
    for (int op = 0; op < RANDOM_OPS; op++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        refused +=
            random_op(st, ops, &slots[r % RANDOM_SLOTS], r / RANDOM_SLOTS);
        ops->check_state(st);
    }
    for (size_t s = 0; s < RANDOM_SLOTS; s++) {
        if (slots[s].blk != NULL) {
            put_back(st, ops, &slots[s]);
        }
    }
    assert(refused > 0 && ops->pool->nr_free_pages(st) == n);
    ops->check_merged(st, n);
}
