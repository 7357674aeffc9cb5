/* memlayout.h -- the kernel's virtual address space, its segments and the
 * physical page descriptor (struct Page). */
#ifndef KERN_MM_MEMLAYOUT_H
#define KERN_MM_MEMLAYOUT_H

/* Global descriptor numbers. */
#define GD_KTEXT ((1) << 3) /* kernel text */
#define GD_KDATA ((2) << 3) /* kernel data */
#define GD_UTEXT ((3) << 3) /* user text */
#define GD_UDATA ((4) << 3) /* user data */
#define GD_TSS   ((5) << 3) /* task state segment */

#define DPL_KERNEL (0)
#define DPL_USER   (3)

#define KERNEL_CS ((GD_KTEXT) | DPL_KERNEL)
#define KERNEL_DS ((GD_KDATA) | DPL_KERNEL)
#define USER_CS   ((GD_UTEXT) | DPL_USER)
#define USER_DS   ((GD_UDATA) | DPL_USER)

/*
 * Virtual memory map:                                     Permissions
 *                                                         kernel/user
 *
 *     4G ------------------> +---------------------------------+
 *                            |                                 |
 *                            |         Empty Memory (*)        |
 *                            |                                 |
 *                            +---------------------------------+ 0xFB400000
 *                            |  (rest of the kmap page table)  | --/--
 *                            +---------------------------------+ 0xFB010000
 *                            |  kmap window: KMAP_SLOTS pages  | RW/-- 64 KiB
 *     KMAP_BASE -----------> +---------------------------------+ 0xFB000000
 *                            |   Cur. Page Table (Kern, RW)    | RW/-- PTSIZE
 *     VPT -----------------> +---------------------------------+ 0xFAC00000
 *                            |        Invalid Memory (*)       | --/--
 *     KERNTOP -------------> +---------------------------------+ 0xF8000000
 *                            |                                 |
 *                            |    Remapped Physical Memory     | RW/-- KMEMSIZE
 *                            |                                 |
 *     KERNBASE ------------> +---------------------------------+ 0xC0000000
 *                            |        Invalid Memory (*)       | --/--
 *     USERTOP, USTACKTOP --> +---------------------------------+ 0xB0000000
 *                            |  User stack: one page at exec,  | RW/RW
 *                            |  grows down on pushes (VM_STACK)|
 *                            |  to at most USTACKPAGE pages    |
 *                            +---------------------------------+ 0xAF800000
 *                            |  (free: the most the stack may  | --/--
 *                            |   grow is 8 MiB)                |
 *     UMMAP_TOP -----------> +---------------------------------+ 0xA0000000
 *                            |  mmap's VMPool: regions handed  | RW/RW
 *                            |  out by first fit, zero-filled  | (regions)
 *                            |  lazily; created at first mmap  |
 *                            +---------------------------------+ 0x90001000
 *                            |  the pool's metadata page       | RW/--
 *     UMMAP_BASE, UHEAPTOP > +---------------------------------+ 0x90000000
 *                            |  heap: [brk_start, brk), moved  | RW/RW
 *                            |  by brk up to UHEAPTOP at most, |
 *                            |  zero-filled lazily             |
 *                            +---------------------------------+ brk_start
 *                            |  the program (text, data, bss); | per region
 *                            |  brk_start is the end of its    |
 *                            |  bss rounded up to a page       |
 *     UTEXT ---------------> +---------------------------------+ 0x00800000
 *                            |  (user regions may start here)  |
 *     USERBASE ------------> +---------------------------------+ 0x00200000
 *                            |        Invalid Memory (*)       | --/--
 *     0 -------------------> +---------------------------------+ 0x00000000
 *
 * (*) Note: The kernel ensures that "Invalid Memory" is *never* mapped.
 *     "Empty Memory" stays unmapped too: once kmap_init has run, a new
 *     kernel page table would be missing from the address spaces' copies
 *     of the kernel half, so get_pte refuses to create one.
 *
 * Everything from KERNBASE up is the same in every page directory: a new
 * directory copies these PDEs from boot_pgdir (only its VPT entry differs,
 * pointing at itself).  The direct map covers only the kernel pool's
 * frames as far as the kernel is concerned (KADDR refuses the others);
 * a process-pool frame -- high memory above KMEMSIZE included -- is
 * reached through the VPT window when it is a page table of the loaded
 * address space, and otherwise through a kmap slot.
 */

/* make VAPA=1 (-DVAPA) links and runs the kernel with virtual address ==
 * physical address: the direct map starts at 0 and covers [0, KMEMSIZE),
 * the first 4 MiB of the boot map included (lab2.md, question (e)).  VPT
 * and the kmap window stay where they are, above KERNTOP; the user
 * layout below does not fit (it lies inside the direct map), so kern_init
 * leaves out what needs it.  A host build may move the direct map
 * (HOST_KERNBASE, a multiple of PTSIZE below 4 GiB - KMEMSIZE):
 * tests/host.mk's ASan builds put it at 0x40000000, since on x86-64
 * ASan's shadow gap covers 0xC0000000. */
#if defined(KERN_HOST_BUILD) && defined(HOST_KERNBASE)
#define KERNBASE HOST_KERNBASE
#elif defined(VAPA)
#define KERNBASE 0x00000000
#else
#define KERNBASE 0xC0000000
#endif
#define KMEMSIZE 0x38000000 /* the maximum amount of physical memory */
#define KERNTOP  (KERNBASE + KMEMSIZE)

/* PMM_CHECK_VA: where check_pgdir and check_boot_pgdir map their test
 * pages -- two page tables' worth of addresses that nothing else maps.
 * 0 as in ucore; under VAPA that is the kernel itself, so the first
 * address past the direct map. */
#ifdef VAPA
#define PMM_CHECK_VA KERNTOP
#else
#define PMM_CHECK_VA 0x00000000
#endif

/* VPT: the page directory maps itself here, so the page table of linear
 * address la appears at VPT + PDX(la) * PGSIZE and the directory itself at
 * vpd = VPT + PDX(VPT) * PGSIZE = 0xFAFEB000. */
#define VPT 0xFAC00000

/* kmap window: KMAP_SLOTS temporary mappings of any frame (kmap/kunmap),
 * in a page table built at boot and shared by every page directory. */
#define KMAP_BASE  0xFB000000
#define KMAP_SLOTS 16
#define KMAP_TOP   (KMAP_BASE + KMAP_SLOTS * PGSIZE)

/* Frames this kernel can address: physical memory below 4 GiB (no PAE). */
#define MAXPA_PAGES (1u << 20)

/* User processes (ucore's layout): programs are linked at UTEXT + 0x20
 * (user/user.ld); their stack is a region ending at USTACKTOP that grows
 * down on demand to at most USTACKPAGE pages (8 MiB; ucore maps a fixed
 * 256), where no program segment may lie; the heap and the mmap pool lie
 * where libs/unistd.h says (UHEAPTOP, UMMAP_BASE, UMMAP_TOP: the
 * system-call interface); nothing of a user address space lies outside
 * [USERBASE, USERTOP).  The kernel's own checks and the monitor's vmdemo
 * use addresses below USERBASE too (they run in kernel mode). */
#define USERTOP    0xB0000000
#define USTACKTOP  USERTOP
#define USTACKPAGE 2048                  /* most pages of a user stack */
#define USTACKSIZE (USTACKPAGE * PGSIZE) /* largest user stack, 8 MiB */
#define USERBASE   0x00200000
#define UTEXT      0x00800000 /* where programs start */
#define USER_ACCESS(start, end)                                                \
    (USERBASE <= (start) && (start) < (end) && (end) <= USERTOP)

#define KSTACKPAGE 2                     /* # of pages in kernel stack */
#define KSTACKSIZE (KSTACKPAGE * PGSIZE) /* sizeof kernel stack */

/* The boot loader leaves the BIOS e820 map at this physical address. */
#define E820_PADDR 0x8000
#define E820MAX    32 /* entries the boot loader keeps */
#define E820_ARM   1  /* address range memory: usable RAM */
#define E820_ARR   2  /* address range reserved */

/* The boot loader stops asking after this many entries that did not fit,
 * for a BIOS that never ends its list (< 256: a byte compare). */
#define E820_DROP_MAX 96

#ifndef __ASSEMBLER__

#include <defs.h>
#include <list.h>

/* e820map - what the boot loader collected: nr_map entries kept, nr_dropped
 * further entries the BIOS reported that did not fit, and error != 0 when an
 * INT 15h/E820 call failed (then the map is not to be trusted). */
struct e820map {
    int32_t nr_map;
    int32_t nr_dropped;
    int32_t error;
    struct {
        uint64_t addr;
        uint64_t size;
        uint32_t type;
    } __attribute__((packed)) map[E820MAX];
};

/*
 * struct Page - one physical page frame.  Every manager may use ref, flags
 * and page_link; 'property' belongs to the current pmm_manager (first-fit
 * keeps a free block's length in its head page there, as in ucore).
 * pra_page_link belongs to the page replacement policy (swap_manager.h)
 * while the frame is a swappable user page.
 */
struct Page {
    int ref;                    /* number of page-table entries mapping it */
    uint32_t flags;             /* PG_* bits below */
    unsigned int property;      /* owned by the current pmm_manager */
    list_entry_t page_link;     /* free-list link, owned by the pmm_manager */
    list_entry_t pra_page_link; /* owned by the swap_manager (ucore Lab 3) */
};

/* Flags describing the status of a page frame. */
/* PG_reserved set: not managed (kernel image, holes, the Page array).
 * PG_property set: head page of a free block (manager-defined). */
#define PG_reserved 0
#define PG_property 1

static inline bool page_flag_test(const struct Page *p, int bit)
{
    return (p->flags >> bit) & 1;
}
static inline void page_flag_set(struct Page *p, int bit)
{
    p->flags |= 1u << bit;
}
static inline void page_flag_clear(struct Page *p, int bit)
{
    p->flags &= ~(1u << bit);
}

#define SetPageReserved(page)   page_flag_set(page, PG_reserved)
#define ClearPageReserved(page) page_flag_clear(page, PG_reserved)
#define PageReserved(page)      page_flag_test(page, PG_reserved)
#define SetPageProperty(page)   page_flag_set(page, PG_property)
#define ClearPageProperty(page) page_flag_clear(page, PG_property)
#define PageProperty(page)      page_flag_test(page, PG_property)

/* free_area_t - a free list and the number of free pages on it: the state
 * of a list-based manager (the Lab 2 handout's default_pmm.c keeps one in
 * a global; this kernel's first-fit and best-fit keep one per instance,
 * kern/mm/alloc/block_list.h). */
typedef struct {
    list_entry_t free_list;
    unsigned int nr_free;
} free_area_t;

/* le2page - the Page whose page_link is @le. */
#define le2page(le, member) to_struct((le), struct Page, member)

#endif /* !__ASSEMBLER__ */

#endif /* !KERN_MM_MEMLAYOUT_H */
