/*
 * swap_check.c -- check_swap: ucore Lab 3's reference string in kernel
 * mode.  An address space gets a five-page region at 0x1000 and the
 * process pool is drained to five free frames: one for the region's page
 * table, four for its pages.  Writing pages a b c d costs four faults;
 * then the string c a d b e b a b c d e a (writes; the last one a read
 * first) runs with the fault count after each access compared with the
 * policy's row of expect[] below.  Every page is filled with its letter
 * when written and compared whole when read, so a page that comes back
 * from swap with the wrong contents fails.  A second phase only reads,
 * every page twice round: pages read back and not written again must be
 * evicted without a write (their slot still holds them).
 */
#include <defs.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <vmm.h>
#include <swap.h>
#include <swap_manager.h>
#include <mem_snap.h>
#include <swap_check.h>

#define CHECK_BASE   0x1000
#define CHECK_PAGES  5 /* pages a .. e */
#define CHECK_FRAMES 4 /* frames the pages get */
#define STRING_LEN   12

/* the reference string after a b c d: page numbers (a = 0) */
static const char string[STRING_LEN] = {2, 0, 3, 1, 4, 1, 0, 1, 2, 3, 4, 0};

/* struct expect - a policy's fault count after each access of string[]
 * (4 before it: a b c d), derived by hand in lab2.md's swap part. */
struct expect {
    const char *policy;
    unsigned char faults[STRING_LEN];
};
static const struct expect expect[] = {
    {"fifo", {4, 4, 4, 4, 5, 5, 6, 7, 8, 9, 10, 11}}, /* ucore's numbers */
    {"clock", {4, 4, 4, 4, 5, 5, 6, 6, 7, 8, 9, 9}},
    {"eclock", {4, 4, 4, 4, 5, 5, 6, 6, 7, 8, 9, 9}}, /* all dirty: clock */
    {"clockpro", {4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 7, 8}},
};

static char *page_va(int i) { return (char *)(CHECK_BASE + i * PGSIZE); }

/* touch - write page @i full of its letter, or read it and compare. */
static void touch(int i, bool write)
{
    char *p = page_va(i);
    if (write) {
        memset(p, 'a' + i, PGSIZE);
        return;
    }
    for (size_t k = 0; k < PGSIZE; k++) {
        if (p[k] != 'a' + i) {
            panic("check_swap: page %c at %p holds '%c' at byte %lu", 'a' + i,
                  p, p[k], (unsigned long)k);
        }
    }
}

/* drain - take free process-pool frames into @held until @keep are free;
 * returns how many were taken. */
static size_t drain(list_entry_t *held, size_t keep)
{
    size_t n = 0;
    list_init(held);
    while (pool_nr_free(&proc_pool) > keep) {
        struct Page *p = pool_alloc(&proc_pool, 1);
        list_add(held, &p->page_link);
        n++;
    }
    return n;
}

static void refill(list_entry_t *held)
{
    while (!list_empty(held)) {
        list_entry_t *le = list_next(held);
        list_del(le);
        free_page(le2page(le, page_link));
    }
}

/* phase_string - a b c d, then string[], against @e (NULL: no row for
 * this policy; the counts are printed for lab2.md instead). */
static void phase_string(const struct expect *e, unsigned long f0)
{
    for (int i = 0; i < CHECK_FRAMES; i++) {
        touch(i, true);
    }
    assert(vmm_stats.faults - f0 == CHECK_FRAMES);
    for (int k = 0; k < STRING_LEN; k++) {
        if (k == STRING_LEN - 1) {
            touch(string[k], false);
        }
        touch(string[k], true);
        unsigned long faults = vmm_stats.faults - f0;
        if (e != NULL && faults != e->faults[k]) {
            panic("check_swap: %s: %lu faults after access %d (page %c), "
                  "expected %d",
                  e->policy, faults, k + 1, 'a' + string[k], e->faults[k]);
        }
        if (e == NULL) {
            cprintf(" %lu", faults);
        }
    }
}

/* phase_reads - every page read twice round: the pages read back from
 * swap stay clean, so their evictions write nothing. */
static void phase_reads(void)
{
    struct swap_stats s0 = swap_stats;
    for (int round = 0; round < 2 * CHECK_PAGES; round++) {
        touch(round % CHECK_PAGES, false);
    }
    unsigned long evicted = swap_stats.swap_outs - s0.swap_outs;
    unsigned long written = swap_stats.writebacks - s0.writebacks;
    /* at most the CHECK_FRAMES pages the first phase left dirty */
    assert(evicted > CHECK_FRAMES && written <= CHECK_FRAMES);
    assert(swap_stats.clean_evicts - s0.clean_evicts == evicted - written);
    assert(swap_stats.swap_ins > s0.swap_ins);
}

static const struct expect *expect_for(const char *name)
{
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        if (strcmp(expect[i].policy, name) == 0) {
            return &expect[i];
        }
    }
    return NULL;
}

void check_swap(void)
{
    if (!swap_init_ok) {
        cprintf("check_swap() skipped: swap is off\n");
        return;
    }
    struct mem_snap s0 = snap_take();
    size_t slots0 = swap_slots_free();
    struct mm_struct *mm = mm_create();
    assert(mm != NULL && mm_map(mm, CHECK_BASE, CHECK_PAGES * PGSIZE,
                                VM_READ | VM_WRITE) == 0);
    list_entry_t held;
    drain(&held, CHECK_FRAMES + 1);
    mm_switch(mm);
    bool log = vmm_fault_log(false);
    const struct expect *e = expect_for(swap_manager_name());
    if (e == NULL) {
        cprintf("check_swap: no expected fault counts for %s; counted:",
                swap_manager_name());
    }
    phase_string(e, vmm_stats.faults);
    if (e == NULL) {
        cprintf("\n");
    }
    phase_reads();
    vmm_fault_log(log);
    mm_switch(NULL);
    mm_destroy(mm);
    refill(&held);
    snap_assert("check_swap", &s0);
    assert(swap_slots_free() == slots0);
    assert(swap_policy_check() == 0);
    cprintf("check_swap() succeeded!\n");
}
