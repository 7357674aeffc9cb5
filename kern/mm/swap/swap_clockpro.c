/* swap_clockpro.c -- CLOCK-Pro (Jiang, Chen, Zhang, USENIX 2005), a clock
 * approximation of LIRS that resists scans and loops.
 *
 * Resident frames are hot (reused within a short distance) or cold.  Only
 * cold frames are evicted, so a one-time scan flows through the cold
 * frames and leaves the hot ones alone.  A cold frame starts a test
 * period when it comes in or is reused; reused again within it, it turns
 * hot.  An evicted cold frame still in its test period leaves a
 * non-resident test entry (a ghost, keyed by frame_key) in a hash table;
 * a swap-in that finds one comes back hot.  Either reuse within a test
 * period says the cold area is too small (cold_target grows by one); a
 * ghost whose test period ends unused says it is too large (it shrinks
 * by one).
 *
 * The paper keeps every page on one clock with three hands.  Here places
 * on that clock are sequence numbers, handed out when a frame enters a
 * list; the hot frames are a circular list in the order of their places
 * with the hot hand on it, which passes frames in place; the cold frames
 * are a list the cold hand takes from its head and refills at its tail;
 * the ghosts are a ring in eviction order, whose oldest entry is the test
 * hand's next.  The hot hand remembers the newest place it has passed,
 * and a test period lasts while the frame's (or the ghost's) place is
 * newer than that.
 *
 * Tuned on make bench-replace: cold_target stays in [1 + m/128, m - m/8]
 * (m = frame_nr()), and a resident cold frame found past its test period
 * when evicted leaves no ghost but does not shrink the cold area (doing
 * so emptied it at every phase change, when new pages outlive short test
 * periods in numbers, and cost up to 8 points of fault rate there).
 *
 * The access that faults a page in sets its accessed bit after
 * map_swappable returns, and is no reuse: the next call into the policy
 * (the next fault) clears the bit of the page mapped last, so that only a
 * later access counts.
 */
#include <assert.h>
#include <defs.h>
#include <error.h>
#include <kmalloc.h>
#include <list.h>
#include <swap_manager.h>

enum cp_where { CP_OUT = 0, CP_HOT, CP_COLD };

struct cp_frame {
    uint32_t seq;  /* its position on the paper's clock */
    uint8_t where; /* enum cp_where */
    bool test;     /* a cold frame in (or last in) a test period */
};

/* A ghost: a non-resident cold page in its test period.  Ghosts live in a
 * ring of slots in eviction order (the oldest is the test hand's next)
 * and in a hash table on their key; key 0 marks a dead slot. */
struct cp_ghost {
    uintptr_t key;
    uint32_t seq;
    int32_t next; /* next slot in the hash chain, -1 at the end */
};

#define CP_NONE (-1)

static list_entry_t cp_hot, cp_cold; /* oldest place first */
static size_t cp_nhot, cp_ncold;
static size_t cp_cold_target; /* the adaptive m_c of the paper */
static uint32_t cp_now;       /* the last sequence number handed out */
static struct cp_frame *cp_frames;
static struct cp_ghost *cp_ghosts; /* cp_nghost_slots slots, a ring */
static int32_t *cp_buckets;        /* cp_nbuckets chain heads */
static size_t cp_nghost_slots, cp_nbuckets;
static size_t cp_ghost_first, cp_ghost_used; /* ring: oldest slot, slots in use */
static struct Page *cp_last_mapped; /* its accessed bit may be its fault's */
static list_entry_t *cp_hand;       /* the hot hand, on cp_hot */
static uint32_t cp_hand_seq;        /* the newest place it has passed */

static struct cp_frame *cp_frame_of(struct Page *page)
{
    return &cp_frames[frame_index(page)];
}

static struct Page *cp_head(list_entry_t *list)
{
    return le2page(list_next(list), pra_page_link);
}

/* cp_cold_min / cp_cold_max - the bounds of cold_target. */
static size_t cp_cold_min(void)
{
    return 1 + frame_nr() / 128;
}

static size_t cp_cold_max(void)
{
    return frame_nr() - frame_nr() / 8;
}

static void cp_cold_adapt(int delta)
{
    if (delta > 0 && cp_cold_target < cp_cold_max()) {
        cp_cold_target++;
    } else if (delta < 0 && cp_cold_target > cp_cold_min()) {
        cp_cold_target--;
    }
}

/* cp_in_test - whether a place numbered @seq is still ahead of the hot
 * hand, so a test period started there has not ended. */
static bool cp_in_test(uint32_t seq)
{
    return (int32_t)(seq - cp_hand_seq) > 0;
}

/* ---- ghosts --------------------------------------------------------- */

static size_t cp_bucket_of(uintptr_t key)
{
    return (size_t)((key * 2654435761u) >> 7) & (cp_nbuckets - 1);
}

/* cp_ghost_unhash - take slot @g out of its hash chain and mark it dead. */
static void cp_ghost_unhash(int32_t g)
{
    int32_t *link = &cp_buckets[cp_bucket_of(cp_ghosts[g].key)];
    while (*link != g) {
        assert(*link != CP_NONE);
        link = &cp_ghosts[*link].next;
    }
    *link = cp_ghosts[g].next;
    cp_ghosts[g].key = 0;
}

/* cp_ghost_find - the live slot holding @key, or CP_NONE. */
static int32_t cp_ghost_find(uintptr_t key)
{
    int32_t g = cp_buckets[cp_bucket_of(key)];
    while (g != CP_NONE && cp_ghosts[g].key != key) {
        g = cp_ghosts[g].next;
    }
    return g;
}

/* cp_ghost_expire - the test hand: free the oldest slot.  A live ghost
 * there ends its test period unused: the cold area shrinks. */
static void cp_ghost_expire(void)
{
    int32_t g = (int32_t)cp_ghost_first;
    if (cp_ghosts[g].key != 0) {
        cp_ghost_unhash(g);
        cp_cold_adapt(-1);
    }
    cp_ghost_first = (cp_ghost_first + 1) % cp_nghost_slots;
    cp_ghost_used--;
}

/* cp_ghost_prune - expire ghosts from the oldest while they are dead or
 * the hot hand has passed their place. */
static void cp_ghost_prune(void)
{
    while (cp_ghost_used > 0) {
        struct cp_ghost *oldest = &cp_ghosts[cp_ghost_first];
        if (oldest->key != 0 && cp_in_test(oldest->seq)) {
            return;
        }
        cp_ghost_expire();
    }
}

/* cp_ghost_add - remember @key, evicted from place @seq, as a ghost. */
static void cp_ghost_add(uintptr_t key, uint32_t seq)
{
    if (cp_ghost_used == cp_nghost_slots) {
        cp_ghost_expire();
    }
    int32_t g = (int32_t)((cp_ghost_first + cp_ghost_used) % cp_nghost_slots);
    size_t b = cp_bucket_of(key);
    cp_ghosts[g] = (struct cp_ghost){.key = key, .seq = seq, .next = cp_buckets[b]};
    cp_buckets[b] = g;
    cp_ghost_used++;
}

/* ---- the resident frames ------------------------------------------- */

/* cp_enqueue - put @page at the tail of the hot or the cold list with a
 * new place; it must be on neither. */
static void cp_enqueue(struct Page *page, enum cp_where where)
{
    struct cp_frame *f = cp_frame_of(page);
    f->where = where;
    f->seq = ++cp_now;
    if (where == CP_HOT) {
        cp_nhot++;
        list_add_before(&cp_hot, &page->pra_page_link);
    } else {
        cp_ncold++;
        list_add_before(&cp_cold, &page->pra_page_link);
    }
}

static void cp_dequeue(struct Page *page)
{
    struct cp_frame *f = cp_frame_of(page);
    if (f->where == CP_HOT) {
        cp_nhot--;
    } else if (f->where == CP_COLD) {
        cp_ncold--;
    } else {
        return;
    }
    if (cp_hand == &page->pra_page_link) {
        cp_hand = list_next(cp_hand);
    }
    f->where = CP_OUT;
    list_del(&page->pra_page_link);
}

/* cp_hot_hand_pass - the hot hand moves past place @seq. */
static void cp_hot_hand_pass(uint32_t seq)
{
    if ((int32_t)(seq - cp_hand_seq) > 0) {
        cp_hand_seq = seq;
    }
}

/* cp_hot_hand - demote one hot frame: the hand passes the hot frames in
 * the order of their places (round the list), clearing set accessed bits,
 * and demotes the first found clear to cold, outside any test period.
 * Test periods of places it has now passed end.  Needs a hot frame. */
static void cp_hot_hand(void)
{
    for (;;) {
        if (cp_hand == &cp_hot) {
            cp_hand = list_next(cp_hand);
            continue;
        }
        struct Page *page = le2page(cp_hand, pra_page_link);
        cp_hot_hand_pass(cp_frame_of(page)->seq);
        if (!frame_accessed(page, true)) {
            cp_dequeue(page);
            cp_enqueue(page, CP_COLD);
            cp_frame_of(page)->test = false;
            break;
        }
        cp_hand = list_next(cp_hand);
    }
    cp_ghost_prune();
}

/* cp_balance - demote hot frames while fewer than cold_target of the
 * resident frames are cold (more than m - m_c hot, in the paper's terms). */
static void cp_balance(void)
{
    while (cp_nhot > 0 && cp_ncold < cp_cold_target) {
        cp_hot_hand();
    }
}

/* cp_cold_step - the cold hand at the oldest cold frame, bit set: a reuse
 * within the test period makes it hot, outside one starts a new one. */
static void cp_cold_step(struct Page *page)
{
    struct cp_frame *f = cp_frame_of(page);
    bool promote = f->test && cp_in_test(f->seq);
    cp_dequeue(page);
    cp_enqueue(page, promote ? CP_HOT : CP_COLD);
    if (promote) {
        cp_cold_adapt(1);
        cp_balance();
    } else {
        f->test = true;
    }
}

/* cp_settle - the access that faulted cp_last_mapped in is done by now:
 * clear its accessed bit. */
static void cp_settle(void)
{
    if (cp_last_mapped != NULL) {
        frame_accessed(cp_last_mapped, true);
        cp_last_mapped = NULL;
    }
}

/* ---- the table ------------------------------------------------------- */

static void cp_free(void)
{
    kfree(cp_frames);
    kfree(cp_ghosts);
    kfree(cp_buckets);
    cp_frames = NULL;
    cp_ghosts = NULL;
    cp_buckets = NULL;
}

/* cp_init - per-frame state, frame_nr() ghost slots and a power of two of
 * hash chains at least as many; -E_NO_MEM (holding nothing) without. */
static int cp_init(void)
{
    cp_free();
    cp_nghost_slots = frame_nr() > 0 ? frame_nr() : 1;
    cp_nbuckets = 1;
    while (cp_nbuckets < cp_nghost_slots) {
        cp_nbuckets <<= 1;
    }
    cp_frames = kmalloc(frame_nr() * sizeof(*cp_frames));
    cp_ghosts = kmalloc(cp_nghost_slots * sizeof(*cp_ghosts));
    cp_buckets = kmalloc(cp_nbuckets * sizeof(*cp_buckets));
    if (cp_frames == NULL || cp_ghosts == NULL || cp_buckets == NULL) {
        cp_free();
        return -E_NO_MEM;
    }
    for (size_t i = 0; i < frame_nr(); i++) {
        cp_frames[i] = (struct cp_frame){.where = CP_OUT};
    }
    for (size_t g = 0; g < cp_nghost_slots; g++) {
        cp_ghosts[g] = (struct cp_ghost){.key = 0, .next = CP_NONE};
    }
    for (size_t b = 0; b < cp_nbuckets; b++) {
        cp_buckets[b] = CP_NONE;
    }
    list_init(&cp_hot);
    list_init(&cp_cold);
    cp_nhot = cp_ncold = 0;
    cp_last_mapped = NULL;
    cp_ghost_first = cp_ghost_used = 0;
    cp_now = cp_hand_seq = 0;
    cp_hand = &cp_hot;
    cp_cold_target = cp_cold_min();
    return 0;
}

/* cp_map_swappable - a page swapped in whose ghost is still in its test
 * period comes back hot (and the cold area grows); any other page comes
 * in cold, starting a test period. */
static int cp_map_swappable(struct mm_struct *mm, uintptr_t addr,
                            struct Page *page, int swap_in)
{
    (void)mm, (void)addr;
    struct cp_frame *f = cp_frame_of(page);
    if (f->where != CP_OUT) {
        panic("swap_clockpro: page %p is already swappable", page);
    }
    int32_t g = swap_in ? cp_ghost_find(frame_key(page)) : CP_NONE;
    bool hot = g != CP_NONE && cp_in_test(cp_ghosts[g].seq);
    if (g != CP_NONE) {
        cp_ghost_unhash(g);
        cp_cold_adapt(hot ? 1 : -1);
    }
    cp_settle();
    cp_last_mapped = page;
    f->test = !hot;
    cp_enqueue(page, hot ? CP_HOT : CP_COLD);
    if (hot) {
        cp_balance();
    }
    return 0;
}

/* cp_set_unswappable - take @page off its list; nothing when on none. */
static int cp_set_unswappable(struct Page *page)
{
    if (page == cp_last_mapped) {
        cp_last_mapped = NULL;
    }
    cp_dequeue(page);
    return 0;
}

/* cp_evict - take the cold frame @page out, leaving a ghost when its
 * test period is still on. */
static void cp_evict(struct Page *page)
{
    struct cp_frame *f = cp_frame_of(page);
    if (f->test && cp_in_test(f->seq)) {
        cp_ghost_add(frame_key(page), f->seq);
    }
    cp_dequeue(page);
}

/* cp_swap_out_victim - the cold hand: from the oldest cold frame, pass
 * those with the accessed bit set (cp_cold_step) and evict the first
 * found clear; with no cold frame, the hot hand makes one. */
static int cp_swap_out_victim(struct mm_struct *mm, struct Page **ptr_page,
                              int in_tick)
{
    (void)mm, (void)in_tick;
    if (cp_nhot + cp_ncold == 0) {
        return -E_NO_MEM;
    }
    cp_settle();
    cp_balance();
    for (;;) {
        if (cp_ncold == 0) {
            cp_hot_hand();
        }
        struct Page *page = cp_head(&cp_cold);
        if (!frame_accessed(page, true)) {
            cp_evict(page);
            *ptr_page = page;
            return 0;
        }
        cp_cold_step(page);
    }
}

/* cp_check_list - every frame on @list is marked @where and the hot
 * hand, when @list is cp_hot, is on it or its head; its length, or
 * (size_t)-1. */
static size_t cp_check_list(list_entry_t *list, enum cp_where where)
{
    size_t n = 0;
    bool hand_seen = list != &cp_hot || cp_hand == &cp_hot;
    for (list_entry_t *le = list_next(list); le != list; le = list_next(le)) {
        hand_seen |= le == cp_hand;
        if (cp_frame_of(le2page(le, pra_page_link))->where != where ||
            ++n > frame_nr()) {
            return (size_t)-1;
        }
    }
    return hand_seen ? n : (size_t)-1;
}

/* cp_check_ghosts - the live slots are those the ring holds, each found
 * by its key; the dead ones are in no chain. */
static bool cp_check_ghosts(void)
{
    size_t live = 0, chained = 0;
    for (size_t k = 0; k < cp_ghost_used; k++) {
        size_t g = (cp_ghost_first + k) % cp_nghost_slots;
        if (cp_ghosts[g].key != 0) {
            live++;
            if (cp_ghost_find(cp_ghosts[g].key) != (int32_t)g) {
                return false;
            }
        }
    }
    for (size_t b = 0; b < cp_nbuckets; b++) {
        for (int32_t g = cp_buckets[b]; g != CP_NONE; g = cp_ghosts[g].next) {
            if (cp_ghosts[g].key == 0 || ++chained > cp_nghost_slots) {
                return false;
            }
        }
    }
    return chained == live && cp_ghost_used <= cp_nghost_slots;
}

/* cp_check_swap - the lists agree with the counts and the per-frame
 * marks, the ghosts with the hash table, cold_target with its bounds. */
static int cp_check_swap(void)
{
    size_t marked = 0;
    for (size_t i = 0; i < frame_nr(); i++) {
        marked += cp_frames[i].where != CP_OUT;
    }
    bool ok = cp_check_list(&cp_hot, CP_HOT) == cp_nhot &&
              cp_check_list(&cp_cold, CP_COLD) == cp_ncold &&
              marked == cp_nhot + cp_ncold && cp_check_ghosts() &&
              cp_cold_target >= cp_cold_min() &&
              cp_cold_target <= cp_cold_max();
    return ok ? 0 : -E_INVAL;
}

const struct swap_manager swap_manager_clockpro = {
    .name = "clockpro",
    .init = cp_init,
    .map_swappable = cp_map_swappable,
    .set_unswappable = cp_set_unswappable,
    .swap_out_victim = cp_swap_out_victim,
    .check_swap = cp_check_swap,
};
