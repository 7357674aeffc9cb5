/*
 * buddy_pmm.c -- a binary buddy allocator that places every request in the
 * lowest-addressed aligned run of free pages that can hold it, behind a
 * cache of recently freed small blocks.
 *
 * An instance covers the frames [base, base + nframes) and numbers them
 * from its base: page b of the instance is base + b.  Free memory is a set
 * of blocks of 2^k pages, each naturally aligned relative to the base: its
 * page number b is a multiple of 2^k.  Alignment is the instance's, not
 * the physical address's: the kernel pool's base is frame 0, so its blocks
 * are physically aligned too, but the process pool starts wherever the
 * kernel pool ends, and its blocks are aligned relative to that frame.
 * That is enough: what buddy needs of alignment is that a block and its
 * buddy (the order-k block at b ^ 2^k) make the block of the next order,
 * and no caller of alloc_pages is promised more than n contiguous frames.
 *
 * The blocks follow from the set of free pages alone: a free block is a
 * maximal aligned run of 2^k free pages, so the pool is always fully
 * coalesced (no two free blocks are buddies) and a free merges with its
 * buddies simply by marking its pages free.  free_map has a bit per page,
 * set while the page is free, and catches double frees a word at a time.
 * A word of it covers an aligned 32 pages.  For each order k an instance
 * keeps a set: for k < 5 the words of free_map that hold an aligned run
 * of 2^k free pages but are not wholly free, for k >= 5 the aligned blocks
 * of 2^k pages that are wholly free (at k = 5 the wholly free words).
 * Each set is a bitmap with two levels of summary above it, so its lowest
 * member is three find-first-set steps away.  sets_of remembers, per word,
 * 1 + the order of its largest run; when a partly free word's largest run
 * changes it leaves or joins the sets in between, and a word that becomes
 * wholly free joins the blocks of order 5 and up for as long as their
 * buddies are wholly free too (one that stops being so leaves them for as
 * long as it was in them).
 *
 * Unless a cache (below) holds a block of n pages, alloc(n) rounds n up
 * to 2^k for the search only: it takes the lowest aligned run of 2^k free
 * pages (for k < 5 the lowest such run in the lower of set k's and set
 * 5's lowest word; above, set k's lowest block), gives out its first n
 * pages and leaves the rest free, so exactly n pages leave the pool.
 * free(base, n) takes back what alloc handed out, or any part of it.
 * init_memmap frees its region the same way, and adjacent regions merge.
 *
 * Why the lowest address.  This manager used to take the first block of
 * the smallest order that fit, from per-order LIFO lists, and hand the
 * rest of it back as blocks.  On make bench's realistic mix at 50 %
 * occupancy that failed 5-6 % of all allocations (nearly every request of
 * 129-256 pages) with 86 % of the pages free, and its largest free run
 * was 0.2-1 % of free memory: the blocks handed back after each large
 * request were the smallest that fit the next small ones, so single pages
 * settled in every large block's remainder and no large block formed
 * again.  Putting those blocks at the far end of their lists changed
 * little (5.2 % failed); a textbook buddy that keeps the whole rounded
 * block fails none but holds 1.3 pages per page asked for.  Choosing by
 * address instead packs the small blocks at the bottom and leaves the top
 * to coalesce: the smallest fitting order, lowest address first, fails
 * none, and the lowest run of any order, as here, also keeps the largest
 * free run above half of free memory (make bench has the figures).
 *
 * The block caches.  Most requests are small and most of those single
 * pages, and a page freed is soon asked for again.  So a free of n <=
 * CACHE_SIZES pages whose first page is aligned as alloc(n) would align
 * it (which puts the block inside one free_map word) does not go back to
 * free_map: the block becomes the newest of cache[n - 1], a stack of up to
 * CACHE_DEPTH blocks of n pages, and cached_map marks its pages.  alloc(n)
 * takes the newest cached block of n pages when there is one -- a few
 * loads and stores where the sets cost a hundred or more instructions --
 * and searches free_map only when there is none.  A cache that is full
 * when a block comes gives its older half back to free_map, oldest first,
 * and a search of free_map that finds nothing empties every cache into it
 * and searches again, so a NULL still means that no aligned run of free
 * pages is large enough.  Cached pages count in nr_free, a double free of
 * one is caught by cached_map, and show_free lists the blocks the pool
 * holds once the caches are empty.  The price is placement: a cached block
 * is reused where it was, not at the lowest address; on make bench's
 * realistic mix the largest free run drops from 0.58 to 0.51 of free
 * memory at 32 768 pages and from 0.65 to 0.59 at 229 376, with still no
 * failed allocation (lab2.md has the table).
 *
 * Of struct Page the manager uses nothing: it takes the frames of
 * init_memmap over (clears their flags and reference counts) but
 * afterwards neither reads nor resets ref and flags, so a page comes back
 * from alloc as it was freed -- unreserved (the front end refuses reserved
 * pages) and with no references (its callers free only unmapped pages).
 * alloc and free are O(n / 32 + log span): a word changed in part costs
 * a few set updates, and a word that becomes or stops being wholly free
 * walks the larger orders, as far as the block it is part of -- except
 * the words a range of pages covers wholly, whose sets change a range
 * per order (a word at a time), and only the range's two ends need a
 * look at the half outside it.  A cache hit is
 * O(1); a spill costs what its frees would have, and a drain what all of
 * the cached blocks' frees would have.
 *
 * The state of an instance is one block: struct pmm_state (with the
 * caches, about 4 KiB), then free_map (span bits, at least one word, span
 * being nframes rounded up to a power of two), the sets' bitmaps (about
 * 7 * span / 32 bits in all), cached_map (span bits) and sets_of (span /
 * 32 bytes).
 */
#include <pmm_manager.h>
#include <bitmap.h>
#include <string.h>
#include <stdio.h>
#include <buddy_pmm.h>
#include <alloc_check.h>

#define MAX_ORDER   20 /* an instance covers at most 2^20 frames: 4 GiB */
#define NR_ORDERS   (MAX_ORDER + 1)
#define WORD_ORDER  5 /* a free_map word covers an aligned 2^5 pages */
#define WORD_BITS   BITMAP_WORD_BITS
#define WHOLE       (WORD_ORDER + 1) /* word_runs() of a wholly free word */
#define ANY_ORDER   (~0u)
#define CACHE_SIZES BUDDY_CACHE_SIZES
#define CACHE_DEPTH 128 /* blocks per size; a full cache spills half */
#define NO_PAGE     BITMAP_NONE

static_assert(((size_t)1 << MAX_ORDER) == MAXPA_PAGES);
static_assert(((size_t)1 << WORD_ORDER) == WORD_BITS);
/* a set has at most 2^(MAX_ORDER - WORD_ORDER) units: its summary's top
 * level (one bit per WORD_BITS^2 units) fits one word */
static_assert(MAX_ORDER - WORD_ORDER <= 15);

/* struct runset - the set of one order k (see the top of the file): bit i
 * of @bits for unit i (a word of free_map for k <= WORD_ORDER, a block of
 * 2^k pages above), bit j of @mid while word j of bits is not zero, bit m
 * of @top while word m of mid is not zero. */
struct runset {
    uint32_t *bits;
    uint32_t *mid;
    uint32_t top;
};

/* struct block_cache - the cached free blocks of one size, oldest first:
 * the page numbers of their first pages. */
struct block_cache {
    uint32_t count;
    uint32_t first[CACHE_DEPTH];
};

/* struct pmm_state - an instance over the frames [base, base + nframes),
 * followed in memory by free_map, the sets' words and cached_map. */
struct pmm_state {
    struct Page *base; /* page b of the instance is base + b */
    size_t nframes;
    unsigned max_order; /* nframes rounded up is 2^max_order: no block is
                           larger */
    size_t nr_free;
    uint32_t *free_map; /* bit b set: page b is free; 2^max_order bits */
    uint8_t *sets_of;   /* per free_map word: word_runs() of it */
    struct runset runs[NR_ORDERS]; /* runs[k], k <= max_order: see top */
    uint32_t *cached_map; /* bit b set: page b is free in a block cache */
    struct block_cache cache[CACHE_SIZES]; /* cache[n - 1]: blocks of n */
    uint32_t maps[];
};

/* order_for - the order of the smallest power of two >= @n (n <= 2^31). */
static unsigned order_for(size_t n)
{
    return n <= 1 ? 0 : 32 - __builtin_clz((uint32_t)(n - 1));
}

/* words_for - the words of a bitmap of @bits bits (at least one). */
static size_t words_for(size_t bits) { return MAX((bits + 31) / 32, 1); }

/* set_units - the units of runs[@k] in an instance of 2^@max_order pages:
 * words of free_map up to WORD_ORDER, blocks of 2^k pages above it. */
static size_t set_units(unsigned max_order, unsigned k)
{
    return ((size_t)1 << max_order) >> MIN(max_order, MAX(k, WORD_ORDER));
}

/* lay_out - the words of maps[] an instance over @nframes frames needs
 * (free_map first, then each set's bits and mid, cached_map, sets_of);
 * with @st, also point its sets (empty), cached_map and sets_of at
 * theirs. */
static size_t lay_out(struct pmm_state *st, size_t nframes)
{
    unsigned max_order = order_for(nframes);
    size_t words = words_for((size_t)1 << max_order);
    for (unsigned k = 0; k <= max_order; k++) {
        size_t nbits = words_for(set_units(max_order, k));
        if (st != NULL) {
            st->runs[k] = (struct runset){.bits = st->maps + words,
                                          .mid = st->maps + words + nbits,
                                          .top = 0};
        }
        words += nbits + words_for(nbits);
    }
    size_t nwords = words_for((size_t)1 << max_order);
    if (st != NULL) {
        st->cached_map = st->maps + words;
        st->sets_of = (uint8_t *)(st->maps + words + nwords);
    }
    return words + nwords + words_for(nwords * 8);
}

static size_t buddy_state_size(size_t nframes)
{
    return sizeof(struct pmm_state) + lay_out(NULL, nframes) * sizeof(uint32_t);
}

/* buddy_init - an empty instance over the frames [base, base + nframes),
 * its maps laid out after the header and cleared; panics past 2^20. */
static void buddy_init(struct pmm_state *st, struct Page *base, size_t nframes)
{
    if (nframes > ((size_t)1 << MAX_ORDER)) {
        panic("init: buddy_pmm: %lu frames at %p, more than the 2^%d an "
              "instance can cover",
              (unsigned long)nframes, base, MAX_ORDER);
    }
    memset(st->maps, 0, lay_out(st, nframes) * sizeof(uint32_t));
    st->base = base;
    st->nframes = nframes;
    st->max_order = order_for(nframes);
    st->nr_free = 0;
    st->free_map = st->maps;
    memset(st->cache, 0, sizeof(st->cache));
}

/* runs_add / runs_remove - make unit @i a member of @s, or no longer one;
 * the summary bits follow their words. */
static __always_inline void runs_add(struct runset *s, size_t i)
{
    uint32_t *word = &s->bits[i / WORD_BITS];
    if (*word == 0) {
        uint32_t *mid = &s->mid[i / (WORD_BITS * WORD_BITS)];
        if (*mid == 0) {
            s->top |= 1u << (i / (WORD_BITS * WORD_BITS));
        }
        *mid |= 1u << (i / WORD_BITS % WORD_BITS);
    }
    *word |= 1u << (i % WORD_BITS);
}

static __always_inline void runs_remove(struct runset *s, size_t i)
{
    uint32_t *word = &s->bits[i / WORD_BITS];
    *word &= ~(1u << (i % WORD_BITS));
    if (*word == 0) {
        uint32_t *mid = &s->mid[i / (WORD_BITS * WORD_BITS)];
        *mid &= ~(1u << (i / WORD_BITS % WORD_BITS));
        if (*mid == 0) {
            s->top &= ~(1u << (i / (WORD_BITS * WORD_BITS)));
        }
    }
}

/* runs_first - the lowest unit in @s, or NO_PAGE when it is empty. */
static __always_inline size_t runs_first(const struct runset *s)
{
    if (s->top == 0) {
        return NO_PAGE;
    }
    size_t m = __builtin_ctz(s->top);
    size_t w = m * WORD_BITS + __builtin_ctz(s->mid[m]);
    return w * WORD_BITS + __builtin_ctz(s->bits[w]);
}

/* run_first[j] - the first bit of every aligned run of 2^(j + 1) bits. */
static const uint32_t run_first[WORD_ORDER] = {0x55555555u, 0x11111111u,
                                               0x01010101u, 0x00010001u, 1u};

/* run_heads - of the aligned runs of 2^@k pages in the word @x (k <=
 * WORD_ORDER), those whose bits are all set, as the bit of each one's
 * first page: two set runs of 2^j side by side make a run of 2^(j + 1). */
static __always_inline uint32_t run_heads(uint32_t x, unsigned k)
{
    for (unsigned j = 0; j < k && x != 0; j++) {
        x &= (x >> (1u << j)) & run_first[j];
    }
    return x;
}

/* word_runs - the number of sets a free_map word @x belongs to: 1 + the
 * order of its largest aligned run of set bits (it is in runs[0] up to
 * runs[that order]), 0 when no bit is set. */
static __always_inline unsigned word_runs(uint32_t x)
{
    uint32_t x1 = x & (x >> 1) & run_first[0];
    uint32_t x2 = x1 & (x1 >> 2) & run_first[1];
    uint32_t x3 = x2 & (x2 >> 4) & run_first[2];
    uint32_t x4 = x3 & (x3 >> 8) & run_first[3];
    uint32_t x5 = x4 & (x4 >> 16) & run_first[4];
    return (x != 0) + (x1 != 0) + (x2 != 0) + (x3 != 0) + (x4 != 0) + (x5 != 0);
}

/* merge_up - word @w has just become wholly free: its block of 2^5 pages
 * and every larger block made with wholly free buddies join their sets. */
static void merge_up(struct pmm_state *st, size_t w)
{
    size_t i = w;
    for (unsigned k = WORD_ORDER;
         k < st->max_order && bitmap_test(st->runs[k].bits, i ^ 1); k++) {
        i /= 2;
        runs_add(&st->runs[k + 1], i);
    }
}

/* break_up - block @i of order @k and the larger ones that hold it are no
 * longer wholly free: those of them that were leave their sets (a walk up
 * that stops at the first that was not). */
static void break_up(struct pmm_state *st, unsigned k, size_t i)
{
    for (; k <= st->max_order && bitmap_test(st->runs[k].bits, i); k++) {
        runs_remove(&st->runs[k], i);
        i /= 2;
    }
}

/* word_changed - free_map word @w has changed, its word_runs() is now
 * @is: as a partly free word it leaves or joins the sets between its old
 * and new largest run; as a wholly free one, runs[WORD_ORDER] and the
 * larger blocks. */
static __always_inline void word_changed(struct pmm_state *st, size_t w,
                                         unsigned is)
{
    unsigned was = st->sets_of[w];
    st->sets_of[w] = is;
    if (was == WHOLE) {
        runs_remove(&st->runs[WORD_ORDER], w);
        break_up(st, WORD_ORDER + 1, w / 2);
        was = 0;
    } else if (is == WHOLE) {
        runs_add(&st->runs[WORD_ORDER], w);
        merge_up(st, w);
        is = 0;
    }
    for (unsigned k = is; k < was; k++) {
        runs_remove(&st->runs[k], w);
    }
    for (unsigned k = was; k < is; k++) {
        runs_add(&st->runs[k], w);
    }
}

/* low_bits - the mask of the @n lowest bits, 1 <= n <= 32. */
static __always_inline uint32_t low_bits(size_t n)
{
    return n == WORD_BITS ? ~0u : (1u << n) - 1;
}

/* word_mask - the bits of pages [p, p + n) when they lie in one word
 * (p % 32 + n <= 32), else 0. */
static __always_inline uint32_t word_mask(size_t p, size_t n)
{
    size_t at = p % WORD_BITS;
    return at + n > WORD_BITS ? 0 : low_bits(n) << at;
}

/* word_set - free_map word @w becomes @x; the sets follow. */
static __always_inline void word_set(struct pmm_state *st, size_t w, uint32_t x)
{
    st->free_map[w] = x;
    word_changed(st, w, word_runs(x));
}

/* runs_assign - units [@lo, @hi] of @s join it (@on) or leave it, a word
 * of its bits at a time; the summary bits follow. */
static void runs_assign(struct runset *s, size_t lo, size_t hi, bool on)
{
    for (size_t w = lo / WORD_BITS; w <= hi / WORD_BITS; w++) {
        uint32_t mask = bitmap_range_mask(w, lo, hi - lo + 1);
        uint32_t was = s->bits[w], x = on ? was | mask : was & ~mask;
        s->bits[w] = x;
        if ((was == 0) != (x == 0)) {
            bitmap_assign(s->mid, w, x != 0);
            size_t m = w / WORD_BITS;
            if ((s->mid[m] == 0) != (((s->top >> m) & 1) == 0)) {
                s->top ^= 1u << m;
            }
        }
    }
}

/* merge_range - free_map words [w0, w1] have just become wholly free
 * (from wholly in use): they join runs[WORD_ORDER], and order by order
 * the blocks made of wholly free halves join theirs.  The new blocks of
 * an order are a range; only its two ends have a half outside the one
 * below, which has to be looked at. */
static void merge_range(struct pmm_state *st, size_t w0, size_t w1)
{
    runs_assign(&st->runs[WORD_ORDER], w0, w1, true);
    for (unsigned k = WORD_ORDER; k < st->max_order; k++) {
        const uint32_t *half = st->runs[k].bits;
        size_t lo = w0 / 2 + (w0 % 2 == 1 && !bitmap_test(half, w0 - 1));
        size_t hi = w1 / 2 + 1 - (w1 % 2 == 0 && !bitmap_test(half, w1 + 1));
        if (lo >= hi) {
            break;
        }
        runs_assign(&st->runs[k + 1], lo, hi - 1, true);
        w0 = lo;
        w1 = hi - 1;
    }
}

/* fill_words - pages [p, p + n), spanning two words or more and none of
 * them free, become free: the words they cover join the sets as a range,
 * then the words at either end they cover in part, one by one. */
static void fill_words(struct pmm_state *st, size_t p, size_t n)
{
    size_t first = p / WORD_BITS, last = (p + n - 1) / WORD_BITS;
    size_t w0 = first + (p % WORD_BITS != 0);
    size_t w1 = last + 1 - ((p + n) % WORD_BITS != 0); /* one past */
    for (size_t w = w0; w < w1; w++) {
        st->free_map[w] = ~0u;
        st->sets_of[w] = WHOLE;
    }
    if (w0 < w1) {
        merge_range(st, w0, w1 - 1);
    }
    if (first < w0) {
        word_set(st, first,
                 st->free_map[first] | bitmap_range_mask(first, p, n));
    }
    if (last >= w1) {
        word_set(st, last, st->free_map[last] | bitmap_range_mask(last, p, n));
    }
}

/* lowest_word - for an order @k < WORD_ORDER: the word of free_map
 * holding the lowest aligned run of 2^k free pages, the lower of runs[k]'s
 * first word (partly free) and runs[WORD_ORDER]'s (wholly free); NO_PAGE
 * when there is none. */
static __always_inline size_t lowest_word(const struct pmm_state *st,
                                          unsigned k)
{
    size_t part = runs_first(&st->runs[k]);
    return st->max_order < WORD_ORDER
               ? part
               : MIN(part, runs_first(&st->runs[WORD_ORDER]));
}

/* take_small - alloc of @n pages, order @k < WORD_ORDER: the lowest
 * aligned run of 2^k free pages lies in one word; its first n pages leave
 * free_map.  Their first page, or NO_PAGE. */
static __always_inline size_t take_small(struct pmm_state *st, unsigned k,
                                         size_t n)
{
    size_t w = lowest_word(st, k);
    if (w == NO_PAGE) {
        return NO_PAGE;
    }
    uint32_t x = st->free_map[w];
    unsigned at = __builtin_ctz(run_heads(x, k));
    word_set(st, w, x & ~(low_bits(n) << at));
    return w * WORD_BITS + at;
}

/* empty_words - the first @n > WORD_BITS pages of the wholly free block
 * of order @k at page @b leave free_map.  The words they cover leave
 * runs[WORD_ORDER], with every block of orders WORD_ORDER + 1..k they
 * are in (a range per order, all of them members), then the blocks above
 * k that hold the block leave theirs, as far as they were in them; the
 * last word, if n covers part of it, joins the small sets. */
static void empty_words(struct pmm_state *st, size_t b, unsigned k, size_t n)
{
    size_t w0 = b / WORD_BITS, w1 = (b + n) / WORD_BITS; /* one past */
    for (size_t w = w0; w < w1; w++) {
        st->free_map[w] = 0;
        st->sets_of[w] = 0;
    }
    for (unsigned j = WORD_ORDER; j <= k; j++) {
        runs_assign(&st->runs[j], w0 >> (j - WORD_ORDER),
                    (w1 - 1) >> (j - WORD_ORDER), false);
    }
    break_up(st, k + 1, b >> (k + 1));
    if (n % WORD_BITS != 0) {
        word_set(st, w1, ~low_bits(n % WORD_BITS));
    }
}

/* take_large - alloc of @n pages, order @k >= WORD_ORDER (k <=
 * max_order): runs[k]'s first block, whose first n pages leave free_map.
 * Its first page, or NO_PAGE. */
static size_t take_large(struct pmm_state *st, unsigned k, size_t n)
{
    size_t i = runs_first(&st->runs[k]);
    if (i == NO_PAGE) {
        return NO_PAGE;
    }
    size_t b = i << k;
    if (n <= WORD_BITS) { /* k == WORD_ORDER: one wholly free word */
        word_set(st, i, ~low_bits(n));
    } else {
        empty_words(st, b, k, n);
    }
    return b;
}

/* free_word - word @w of the set of free pages: free_map's and the
 * caches' pages. */
static __always_inline uint32_t free_word(const struct pmm_state *st, size_t w)
{
    return st->free_map[w] | st->cached_map[w];
}

/* find_page - the lowest page in [p, p + n), n > 0, that is free (@free)
 * or not, cached pages counting as free; NO_PAGE when there is none. */
static size_t find_page(const struct pmm_state *st, size_t p, size_t n,
                        bool free)
{
    for (size_t w = p / WORD_BITS; w <= (p + n - 1) / WORD_BITS; w++) {
        uint32_t x = free ? free_word(st, w) : ~free_word(st, w);
        x &= bitmap_range_mask(w, p, n);
        if (x != 0) {
            return w * WORD_BITS + __builtin_ctz(x);
        }
    }
    return NO_PAGE;
}

/* bad_release - the panic of release for [base, base + n): outside the
 * instance, or (@dup != NO_PAGE) page dup of it already free. */
static void __attribute__((noinline, cold))
bad_release(const struct pmm_state *st, const char *fn, struct Page *base,
            size_t n, size_t dup)
{
    size_t first = st->base - pages;
    if (dup == NO_PAGE) {
        panic("%s: buddy_pmm: [%p, +%lu) is outside the instance's frames "
              "[ppn %lx, %lx)",
              fn, base, (unsigned long)n, (unsigned long)first,
              (unsigned long)(first + st->nframes));
    }
    panic("%s: buddy_pmm: [%p, +%lu): page %p (ppn %lu) is already free: "
          "double free",
          fn, base, (unsigned long)n, st->base + dup,
          (unsigned long)(first + dup));
}

/* check_release - panic unless [base, base + n) is in the instance and
 * none of its pages is free (in free_map or a cache); @fn names the
 * function the caller used.  Returns the page number of base. */
static __always_inline size_t check_release(const struct pmm_state *st,
                                            const char *fn, struct Page *base,
                                            size_t n)
{
    size_t p = base - st->base;
    if (base < st->base || n > st->nframes || p > st->nframes - n) {
        bad_release(st, fn, base, n, NO_PAGE);
    }
    /* most frees lie in one word, and one look at it clears them */
    uint32_t mask = word_mask(p, n);
    if (mask == 0 || (mask & free_word(st, p / WORD_BITS)) != 0) {
        size_t dup = find_page(st, p, n, true);
        if (dup != NO_PAGE) {
            bad_release(st, fn, base, n, dup);
        }
    }
    return p;
}

/* release - return pages [p, p + n), none of them free, to free_map. */
static __always_inline void release(struct pmm_state *st, size_t p, size_t n)
{
    uint32_t mask = word_mask(p, n);
    if (mask != 0) { /* most frees: one word */
        size_t w = p / WORD_BITS;
        word_set(st, w, st->free_map[w] | mask);
    } else {
        fill_words(st, p, n);
    }
    st->nr_free += n;
}

/* cache_pop - alloc of @n <= CACHE_SIZES pages from cache[n - 1], which
 * is not empty: its newest block.  Its first page. */
static __always_inline size_t cache_pop(struct pmm_state *st, size_t n)
{
    struct block_cache *c = &st->cache[n - 1];
    uint32_t p = c->first[--c->count];
    st->cached_map[p / WORD_BITS] &= ~word_mask(p, n);
    st->nr_free -= n;
    return p;
}

/* spill - cache[@n - 1] keeps its @keep newest blocks; the older ones go
 * back to free_map, oldest first. */
static void spill(struct pmm_state *st, size_t n, uint32_t keep)
{
    struct block_cache *c = &st->cache[n - 1];
    uint32_t out = c->count - keep;
    for (uint32_t i = 0; i < out; i++) {
        st->nr_free -= n; /* release counts them again */
        st->cached_map[c->first[i] / WORD_BITS] &= ~word_mask(c->first[i], n);
        release(st, c->first[i], n);
    }
    memmove(c->first, c->first + out, keep * sizeof(c->first[0]));
    c->count = keep;
}

/* cached_pages - the pages in the caches (nr_free counts them). */
static size_t cached_pages(const struct pmm_state *st)
{
    size_t pages = 0;
    for (size_t n = 1; n <= CACHE_SIZES; n++) {
        pages += n * st->cache[n - 1].count;
    }
    return pages;
}

/* drain - every cached block goes back to free_map. */
static void drain(struct pmm_state *st)
{
    for (size_t n = 1; n <= CACHE_SIZES; n++) {
        spill(st, n, 0);
    }
}

/* cache_push - the free of the @n pages at page @p, none of them free,
 * cacheable(p, n) (so the block lies in one word): the newest block of
 * cache[n - 1], which spills its older half first when it is full. */
static __always_inline void cache_push(struct pmm_state *st, size_t p, size_t n)
{
    struct block_cache *c = &st->cache[n - 1];
    if (c->count == CACHE_DEPTH) {
        spill(st, n, CACHE_DEPTH / 2);
    }
    c->first[c->count++] = p;
    st->cached_map[p / WORD_BITS] |= word_mask(p, n);
    st->nr_free += n;
}

/* buddy_init_memmap - take over the reserved frames [base, base + n):
 * their flags and reference counts are cleared, here only. */
static void buddy_init_memmap(struct pmm_state *st, struct Page *base, size_t n)
{
    assert(n > 0);
    release(st, check_release(st, "init_memmap", base, n), n);
    for (struct Page *p = base; p != base + n; p++) {
        p->flags = 0;
        set_page_ref(p, 0);
    }
}

/* take - the search of alloc(@n), @k its order: the first page of the
 * lowest aligned run of 2^k pages free in free_map, whose first n pages
 * leave it; NO_PAGE when there is none. */
static __always_inline size_t take(struct pmm_state *st, size_t n, unsigned k)
{
    /* n == 1, most requests, gets a copy of take_small for constants */
    return n == 1           ? take_small(st, 0, 1)
           : k < WORD_ORDER ? take_small(st, k, n)
                            : take_large(st, k, n);
}

static struct Page *buddy_alloc_pages(struct pmm_state *st, size_t n)
{
    assert(n > 0);
    if (n <= CACHE_SIZES && st->cache[n - 1].count != 0) {
        return st->base + cache_pop(st, n);
    }
    unsigned k = order_for(n);
    if (n > st->nr_free || k > st->max_order) {
        return NULL;
    }
    size_t b = take(st, n, k);
    if (b == NO_PAGE && cached_pages(st) != 0) {
        drain(st);
        b = take(st, n, k);
    }
    if (b == NO_PAGE) {
        return NULL;
    }
    st->nr_free -= n;
    return st->base + b;
}

/* cacheable - whether a free of @n pages at page @p goes to the cache: n
 * <= CACHE_SIZES and p aligned as alloc(n) aligns its blocks. */
static __always_inline bool cacheable(size_t p, size_t n)
{
    return n <= CACHE_SIZES && (p & (((size_t)1 << order_for(n)) - 1)) == 0;
}

static void buddy_free_pages(struct pmm_state *st, struct Page *base, size_t n)
{
    assert(n > 0);
    /* n == 1, most frees, gets a copy of the checks for the constant */
    size_t p = n == 1 ? check_release(st, "free_pages", base, 1)
                      : check_release(st, "free_pages", base, n);
    if (cacheable(p, n)) {
        cache_push(st, p, n);
    } else {
        release(st, p, n);
    }
}

static size_t buddy_nr_free_pages(const struct pmm_state *st)
{
    return st->nr_free;
}

/* next_free - the lowest free page (cached ones too) at or above @p, or
 * NO_PAGE. */
static size_t next_free(const struct pmm_state *st, size_t p)
{
    return p < st->nframes ? find_page(st, p, st->nframes - p, true) : NO_PAGE;
}

/* block_order - the order of the free block whose first page is @p: the
 * largest aligned run of free pages, cached ones too, that starts there. */
static unsigned block_order(const struct pmm_state *st, size_t p)
{
    unsigned k = 0;
    while (k < st->max_order && p % ((size_t)2 << k) == 0 &&
           find_page(st, p, (size_t)2 << k, false) == NO_PAGE) {
        k++;
    }
    return k;
}

/* buddy_show_free - one line per free block, in address order: the
 * blocks the pool holds once its caches have drained.  Walking up from
 * the lowest free page, each free page met first is the head of its
 * block, since blocks are aligned and never overlap. */
static void buddy_show_free(const struct pmm_state *st)
{
    size_t first = st->base - pages;
    for (size_t p = next_free(st, 0); p != NO_PAGE;) {
        size_t end = p + ((size_t)1 << block_order(st, p));
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)(first + p),
                (unsigned long)(first + end - 1), (unsigned)(end - p));
        p = next_free(st, end);
    }
}

/* count_blocks - the number of free blocks of order @k (ANY_ORDER: of any
 * order), cached pages counting as free, walked as show_free walks them. */
static size_t count_blocks(const struct pmm_state *st, unsigned k)
{
    size_t blocks = 0;
    for (size_t p = next_free(st, 0); p != NO_PAGE;) {
        unsigned order = block_order(st, p);
        blocks += k == ANY_ORDER || k == order;
        p = next_free(st, p + ((size_t)1 << order));
    }
    return blocks;
}

/* in_set - whether unit @i of runs[@k] must be in it, from free_map. */
static bool in_set(const struct pmm_state *st, unsigned k, size_t i)
{
    if (k < WORD_ORDER || st->max_order < WORD_ORDER) {
        unsigned runs = word_runs(st->free_map[i]);
        return runs != WHOLE && runs > k;
    }
    size_t size = (size_t)1 << k;
    return bitmap_find(st->free_map, i * size, size, false) == NO_PAGE;
}

/* check_set - runs[@k] holds exactly the units in_set says, and each
 * summary bit says whether its word below is not zero. */
static void check_set(const struct pmm_state *st, unsigned k)
{
    const struct runset *s = &st->runs[k];
    size_t units = set_units(st->max_order, k), words = words_for(units);
    for (size_t i = 0; i < units; i++) {
        assert(bitmap_test(s->bits, i) == in_set(st, k, i));
    }
    for (size_t w = 0; w < words; w++) {
        assert(bitmap_test(s->mid, w) == (s->bits[w] != 0));
    }
    for (size_t m = 0; m < words_for(words); m++) {
        assert(((s->top >> m) & 1) == (s->mid[m] != 0));
    }
}

/* check_caches - every cached block of n pages is aligned as alloc(n)
 * aligns and marked in cached_map and not in free_map, and cached_map
 * marks those blocks' pages and no other (two cached blocks that
 * overlapped would count more pages than it marks). */
static void check_caches(const struct pmm_state *st, size_t words)
{
    for (size_t n = 1; n <= CACHE_SIZES; n++) {
        const struct block_cache *c = &st->cache[n - 1];
        assert(c->count <= CACHE_DEPTH);
        for (uint32_t i = 0; i < c->count; i++) {
            size_t p = c->first[i], w = p / WORD_BITS;
            uint32_t mask = word_mask(p, n);
            assert(p + n <= st->nframes && cacheable(p, n));
            assert((st->cached_map[w] & mask) == mask &&
                   (st->free_map[w] & mask) == 0);
        }
    }
    assert(bitmap_count(st->cached_map, words) == cached_pages(st));
}

/* check_pool - every set agrees with free_map, the caches with
 * cached_map, no page past nframes is marked free, and the two maps count
 * nr_free pages.  Returns the number of free blocks, cached pages counting
 * as free. */
static size_t check_pool(const struct pmm_state *st)
{
    for (unsigned k = 0; k <= st->max_order; k++) {
        check_set(st, k);
    }
    size_t bits = words_for((size_t)1 << st->max_order) * WORD_BITS;
    for (size_t w = 0; w < bits / WORD_BITS; w++) {
        assert(st->sets_of[w] == word_runs(st->free_map[w]));
    }
    check_caches(st, bits / WORD_BITS);
    assert(st->nframes == bits ||
           find_page(st, st->nframes, bits - st->nframes, true) == NO_PAGE);
    assert(bitmap_count(st->free_map, bits / WORD_BITS) + cached_pages(st) ==
           st->nr_free);
    return count_blocks(st, ANY_ORDER);
}

/* check_memmap - on an instance over @m of the frames at @frames:
 * init_memmap takes the reserved frames over (flags and reference counts
 * cleared), two regions handed over side by side become the maximal
 * aligned blocks of [0, m) (one per bit of m), and a request larger than
 * the largest of them finds nothing even when enough pages are free. */
static void check_memmap(struct pmm_state *st, struct Page *frames, size_t m)
{
    size_t top = (size_t)1 << (31 - __builtin_clz((uint32_t)m));
    size_t blocks = __builtin_popcount((uint32_t)m);
    buddy_init(st, frames, m);
    set_page_ref(frames + m - 1, 1);
    buddy_init_memmap(st, frames + 5, m - 5);
    buddy_init_memmap(st, frames, 5);
    for (size_t i = 0; i < m; i++) {
        assert(frames[i].flags == 0 && page_ref(frames + i) == 0);
    }
    assert(st->nr_free == m && check_pool(st) == blocks);
    assert(count_blocks(st, st->max_order - (top < m)) == 1);
    assert(buddy_alloc_pages(st, top + 1) == NULL);
    assert(buddy_alloc_pages(st, top) == frames && st->nr_free == m - top);
    assert(check_pool(st) == blocks - 1);
    buddy_free_pages(st, frames, top);
    assert(st->nr_free == m && check_pool(st) == blocks);
}

/* check_split_merge - on an instance over the 16 frames at @a:
 * adjacent init_memmap regions coalesce, alloc takes the lowest block
 * that fits, NULL when no block is large enough, frees merge back up. */
static void check_split_merge(struct pmm_state *st, struct Page *a)
{
    buddy_init(st, a, 16);
    buddy_init_memmap(st, a, 5);
    buddy_init_memmap(st, a + 5, 11);
    assert(st->nr_free == 16 && check_pool(st) == 1);
    assert(count_blocks(st, 4) == 1);
    assert(buddy_alloc_pages(st, 1) == a); /* 16 -> 1 + 1 + 2 + 4 + 8 */
    for (unsigned k = 0; k < 4; k++) {
        assert(count_blocks(st, k) == 1);
    }
    assert(buddy_alloc_pages(st, 1) == a + 1);
    assert(buddy_alloc_pages(st, 2) == a + 2);
    assert(buddy_alloc_pages(st, 3) == a + 4); /* page a + 7 stays free */
    assert(st->nr_free == 9 && count_blocks(st, 0) == 1 &&
           count_blocks(st, 3) == 1);
    assert(buddy_alloc_pages(st, 9) == NULL);
    buddy_free_pages(st, a + 1, 1); /* its buddy a is in use */
    assert(count_blocks(st, 0) == 2);
    buddy_free_pages(st, a, 1); /* merges with a + 1 */
    assert(count_blocks(st, 1) == 1 && count_blocks(st, 0) == 1);
    buddy_free_pages(st, a + 2, 2);
    buddy_free_pages(st, a + 4, 3); /* merges all the way up */
    assert(st->nr_free == 16 && check_pool(st) == 1);
    assert(count_blocks(st, 4) == 1);
    drain(st); /* they were all cached: now free_map holds them */
    assert(cached_pages(st) == 0 && check_pool(st) == 1);
}

/* check_tail - on the same instance, its caches empty: a request that is
 * not a power of two costs exactly its pages, the lowest block that fits
 * is taken even when a smaller one lies higher up, any part of an
 * allocation can be freed on its own, and a request free_map cannot serve
 * drains the caches. */
static void check_tail(struct pmm_state *st, struct Page *a)
{
    assert(buddy_alloc_pages(st, 5) == a); /* tail: 1 page at a+5, 2 at a+6 */
    assert(st->nr_free == 11 && count_blocks(st, 0) == 1 &&
           count_blocks(st, 1) == 1);
    assert(buddy_alloc_pages(st, 2) == a + 6);
    assert(buddy_alloc_pages(st, 1) == a + 5);
    assert(st->nr_free == 8 && check_pool(st) == 1);
    buddy_free_pages(st, a, 5); /* cached; blocks 4 pages at a, 1 at a + 4 */
    assert(count_blocks(st, 2) == 1 && count_blocks(st, 0) == 1);
    assert(buddy_alloc_pages(st, 1) == a + 8); /* a to a + 4 are cached */
    buddy_free_pages(st, a + 8, 1);
    drain(st);
    assert(buddy_alloc_pages(st, 1) == a); /* not a + 4: a is lower */
    buddy_free_pages(st, a, 1);
    buddy_free_pages(st, a + 5, 1);
    buddy_free_pages(st, a + 6, 2);
    assert(st->nr_free == 16 && check_pool(st) == 1);
    /* a, a + 5 and a + 6 are cached: free_map's lowest 8 are at a + 8 */
    assert(buddy_alloc_pages(st, 8) == a + 8);
    buddy_free_pages(st, a + 8, 8);
    drain(st);
    assert(buddy_alloc_pages(st, 8) == a);
    buddy_free_pages(st, a + 2, 3); /* the middle: not aligned, not cached */
    assert(st->nr_free == 11 && cached_pages(st) == 0 && page_ref(a + 2) == 0);
    buddy_free_pages(st, a, 2); /* cached */
    buddy_free_pages(st, a + 5, 3);
    assert(st->nr_free == 16 && check_pool(st) == 1);
    assert(count_blocks(st, 4) == 1 && cached_pages(st) == 2);
    assert(buddy_alloc_pages(st, 16) == a && st->nr_free == 0); /* drained */
    assert(cached_pages(st) == 0 && buddy_alloc_pages(st, 1) == NULL);
}

/* check_cache - on an instance over the @n frames at @a (n > CACHE_DEPTH
 * + 2): a free of up to CACHE_SIZES pages aligned as alloc aligns them is
 * cached and the next alloc of that size takes it back, newest first; a
 * free that is not aligned goes to free_map; a full cache gives its older
 * half back to free_map; an alloc free_map cannot serve drains the
 * caches, after which the pool is fully coalesced. */
static void check_cache(struct pmm_state *st, struct Page *a, size_t n)
{
    const size_t depth = CACHE_DEPTH;
    size_t top = (size_t)1 << (31 - __builtin_clz((uint32_t)n));
    assert(n > depth + 2);
    buddy_init(st, a, n);
    buddy_init_memmap(st, a, n);
    for (size_t i = 0; i < depth + 2; i++) {
        assert(buddy_alloc_pages(st, 1) == a + i);
    }
    buddy_free_pages(st, a + 2, 1);
    buddy_free_pages(st, a, 1);
    assert(cached_pages(st) == 2 && buddy_alloc_pages(st, 1) == a);
    assert(buddy_alloc_pages(st, 1) == a + 2 && cached_pages(st) == 0);
    buddy_free_pages(st, a + 1, 2); /* not aligned to 2 */
    assert(cached_pages(st) == 0 && bitmap_test(st->free_map, 1));
    assert(buddy_alloc_pages(st, 1) == a + 1 &&
           buddy_alloc_pages(st, 1) == a + 2);
    for (size_t i = 0; i <= depth; i++) { /* the last spills [0, depth/2) */
        buddy_free_pages(st, a + i, 1);
    }
    assert(cached_pages(st) == depth / 2 + 1 && check_pool(st) > 0);
    assert(bitmap_test(st->free_map, 0) &&
           !bitmap_test(st->free_map, depth / 2));
    assert(buddy_alloc_pages(st, 2) == a);         /* free_map's lowest */
    assert(buddy_alloc_pages(st, 1) == a + depth); /* the newest */
    buddy_free_pages(st, a, 2);
    buddy_free_pages(st, a + depth, 1);
    buddy_free_pages(st, a + depth + 1, 1);
    assert(st->nr_free == n && cached_pages(st) == depth / 2 + 4);
    assert(buddy_alloc_pages(st, top) == a && cached_pages(st) == 0);
    buddy_free_pages(st, a, top);
    assert(st->nr_free == n &&
           check_pool(st) == (size_t)__builtin_popcount((uint32_t)n));
}

/* lowest_run - the lowest aligned run of 2^@k pages free in free_map, or
 * with @cached also in the caches, found page by page; NO_PAGE when there
 * is none. */
static size_t lowest_run(const struct pmm_state *st, unsigned k, bool cached)
{
    size_t size = (size_t)1 << k;
    for (size_t b = 0; b + size <= st->nframes; b += size) {
        if ((cached ? find_page(st, b, size, false)
                    : bitmap_find(st->free_map, b, size, false)) == NO_PAGE) {
            return b;
        }
    }
    return NO_PAGE;
}

/* buddy_expect - the block alloc(@n) must return: the newest cached block
 * of n pages if there is one; else the lowest aligned run of 2^k pages
 * free in free_map, k being n rounded up to a power of two; else, once the
 * caches have drained, the lowest such run of all free pages; else NULL. */
static struct Page *buddy_expect(const struct pmm_state *st, size_t n)
{
    const struct block_cache *c = n <= CACHE_SIZES ? &st->cache[n - 1] : NULL;
    if (c != NULL && c->count != 0) {
        return st->base + c->first[c->count - 1];
    }
    size_t b = lowest_run(st, order_for(n), false);
    if (b == NO_PAGE) {
        b = lowest_run(st, order_for(n), true);
    }
    return b == NO_PAGE ? NULL : st->base + b;
}

/* buddy_check_state - check_pool, for alloc_check_random. */
static void buddy_check_state(const struct pmm_state *st) { check_pool(st); }

/* buddy_check_merged - with all @n frames free, the pool is fully
 * coalesced: one maximal aligned block per bit of n. */
static void buddy_check_merged(const struct pmm_state *st, size_t n)
{
    assert(check_pool(st) == (size_t)__builtin_popcount((uint32_t)n));
}

/* buddy_random - the shared random workload (alloc_check.h) with buddy's
 * promises: the lowest aligned block that fits, a consistent and fully
 * coalesced pool. */
static const struct alloc_check_ops buddy_random = {
    .pool = &buddy_pmm_manager.pool,
    .expect = buddy_expect,
    .check_state = buddy_check_state,
    .check_merged = buddy_check_merged,
};

/* buddy_check - the self-test on private instances over the @n reserved
 * frames at @frames (n > CACHE_DEPTH + 2): init_memmap on a power-of-two
 * and an odd number of frames, a random workload, the caches, then split,
 * merge and tails on an instance whose base is 3 frames in, so blocks are
 * aligned only relative to it.  Nothing outside the frames and @scratch
 * changes. */
static void buddy_check(struct pmm_state *scratch, struct Page *frames,
                        size_t n)
{
    assert(n > CACHE_DEPTH + 2);
    check_memmap(scratch, frames, n);
    check_memmap(scratch, frames, n * 3 / 4 + 3);
    alloc_check_random(scratch, &buddy_random, frames, n);
    check_cache(scratch, frames, n);
    check_split_merge(scratch, frames + 3);
    check_tail(scratch, frames + 3);
}

const struct pmm_manager buddy_pmm_manager = {
    .name = "buddy_pmm_manager",
    .pool =
        {
            .state_size = buddy_state_size,
            .init = buddy_init,
            .init_memmap = buddy_init_memmap,
            .alloc_pages = buddy_alloc_pages,
            .free_pages = buddy_free_pages,
            .nr_free_pages = buddy_nr_free_pages,
            .show_free = buddy_show_free,
            .check = buddy_check,
        },
};
