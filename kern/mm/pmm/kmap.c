/*
 * kmap.c -- the kmap window: KMAP_SLOTS pages at KMAP_BASE whose PTEs live
 * in one kernel-pool page table, installed in boot_pgdir at boot and so
 * copied into every page directory.  A slot maps one frame for a short
 * while (zeroing a new frame, walking the page table of an address space
 * that is not loaded).  Misuse panics: the window is small, so a leaked
 * slot would soon break an unrelated caller.
 */
#include <defs.h>
#include <x86.h>
#include <string.h>
#include <sync.h>
#include <memmap.h>
#include <pool.h>
#include <kmap.h>

static pte_t *kmap_pt; /* the window's page table, PTE i maps slot i */

static_assert(PTX(KMAP_BASE) == 0 && KMAP_SLOTS <= NPTEENTRY);

void kmap_init(pde_t *pgdir)
{
    assert(rcr3() == PADDR(pgdir) && kmap_pt == NULL);
    assert(!(pgdir[PDX(KMAP_BASE)] & PTE_P));
    struct Page *page = alloc_page();
    if (page == NULL) {
        panic("kmap_init: out of memory for the window's page table");
    }
    set_page_ref(page, 1);
    kmap_pt = memset(page2kva(page), 0, PGSIZE);
    pgdir[PDX(KMAP_BASE)] = page2pa(page) | PTE_P | PTE_W;
}

bool kmap_ready(void) { return kmap_pt != NULL; }

static uintptr_t slot_va(int i) { return KMAP_BASE + i * PGSIZE; }

/* free_slot - a free slot for frame @pa, or -1; panics when @pa is
 * already mapped in one. */
static int free_slot(uintptr_t pa)
{
    int found = -1;
    for (int i = 0; i < KMAP_SLOTS; i++) {
        if (!(kmap_pt[i] & PTE_P)) {
            found = found < 0 ? i : found;
        } else if (PTE_ADDR(kmap_pt[i]) == pa) {
            panic("kmap: frame %08lx is already mapped at %08lx (a missing "
                  "kunmap?)",
                  (unsigned long)pa, (unsigned long)slot_va(i));
        }
    }
    return found;
}

void *kmap(struct Page *page)
{
    bool intr_flag;
    if (kmap_pt == NULL) {
        panic("kmap: page %p mapped before kmap_init", page);
    }
    uintptr_t pa = page2pa(page);
    local_intr_save(intr_flag);
    int i = free_slot(pa);
    if (i < 0) {
        panic("kmap: all %d slots are in use mapping frame %08lx (a missing "
              "kunmap?)",
              KMAP_SLOTS, (unsigned long)pa);
    }
    kmap_pt[i] = pa | PTE_P | PTE_W;
    invlpg((void *)slot_va(i));
    local_intr_restore(intr_flag);
    return (void *)slot_va(i);
}

void kunmap(void *va)
{
    bool intr_flag;
    uintptr_t a = (uintptr_t)va;
    size_t i = (a - KMAP_BASE) / PGSIZE;
    if (kmap_pt == NULL || !kmap_holds(va) || PGOFF(a) != 0 ||
        !(kmap_pt[i] & PTE_P)) {
        panic("kunmap: %p is not a live kmap slot", va);
    }
    local_intr_save(intr_flag);
    kmap_pt[i] = 0;
    invlpg(va);
    local_intr_restore(intr_flag);
}

bool kmap_holds(const void *va)
{
    return (uintptr_t)va >= KMAP_BASE && (uintptr_t)va < KMAP_TOP;
}

int kmap_live(void)
{
    int n = 0;
    for (int i = 0; kmap_pt != NULL && i < KMAP_SLOTS; i++) {
        n += (kmap_pt[i] & PTE_P) != 0;
    }
    return n;
}

void frame_zero(struct Page *page)
{
    if (page2ppn(page) < npage_direct) {
        memset(page2kva(page), 0, PGSIZE);
        return;
    }
    void *va = kmap(page);
    memset(va, 0, PGSIZE);
    kunmap(va);
}

void frame_copy(struct Page *dst, struct Page *src)
{
    void *d = kmap(dst), *s = kmap(src);
    memcpy(d, s, PGSIZE);
    kunmap(s);
    kunmap(d);
}
