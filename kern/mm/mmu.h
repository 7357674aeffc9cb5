/* mmu.h -- i386 paging and segmentation (Intel SDM vol. 3, ch. 3-4). */
#ifndef KERN_MM_MMU_H
#define KERN_MM_MMU_H

/*
 * A linear address splits into three parts:
 *
 * +--------10------+-------10-------+---------12----------+
 * | Page Directory |   Page Table   | Offset within Page  |
 * |      Index     |     Index      |                     |
 * +----------------+----------------+---------------------+
 *  \--- PDX(la) --/ \--- PTX(la) --/ \---- PGOFF(la) ----/
 *  \----------- PPN(la) -----------/
 */
#define PDX(la)         ((((uintptr_t)(la)) >> PDXSHIFT) & 0x3FF)
#define PTX(la)         ((((uintptr_t)(la)) >> PTXSHIFT) & 0x3FF)
#define PPN(la)         (((uintptr_t)(la)) >> PTXSHIFT)
#define PGOFF(la)       (((uintptr_t)(la)) & 0xFFF)
#define PGADDR(d, t, o) ((uintptr_t)((d) << PDXSHIFT | (t) << PTXSHIFT | (o)))

/* The frame address stored in a PTE or PDE. */
#define PTE_ADDR(pte) ((uintptr_t)(pte) & ~0xFFF)
#define PDE_ADDR(pde) PTE_ADDR(pde)

#define NPDEENTRY 1024 /* page directory entries per page directory */
#define NPTEENTRY 1024 /* page table entries per page table */

#define PGSIZE  4096                 /* bytes mapped by a page */
#define PGSHIFT 12                   /* log2(PGSIZE) */
#define PTSIZE  (PGSIZE * NPTEENTRY) /* bytes mapped by one PDE */
#define PTSHIFT 22                   /* log2(PTSIZE) */

#define PTXSHIFT 12 /* offset of PTX in a linear address */
#define PDXSHIFT 22 /* offset of PDX in a linear address */

/* Page table / directory entry flags. */
#define PTE_P     0x001 /* Present */
#define PTE_W     0x002 /* Writeable */
#define PTE_U     0x004 /* User */
#define PTE_PWT   0x008 /* Write-Through */
#define PTE_PCD   0x010 /* Cache-Disable */
#define PTE_A     0x020 /* Accessed */
#define PTE_D     0x040 /* Dirty */
#define PTE_PS    0x080 /* Page Size (in a PDE: a 4 MiB page) */
#define PTE_G     0x100 /* Global (with CR4.PGE) */
#define PTE_AVAIL 0xE00 /* Available for software use */

/* PTE_COW - a software bit (one of PTE_AVAIL) of a user PTE: the page is
 * read-only only because fork shares its frame; a write copies it or, when
 * no one else maps it any more, makes it writable again (vmm/pgfault.c).
 * A page read-only because its region is stays without the bit, so a
 * write to it is still a segmentation fault. */
#define PTE_COW 0x200

#define PTE_USER (PTE_U | PTE_W | PTE_P)

/* Control register bits. */
#define CR0_PE  0x00000001 /* Protection Enable */
#define CR0_MP  0x00000002 /* Monitor coProcessor */
#define CR0_EM  0x00000004 /* Emulation */
#define CR0_TS  0x00000008 /* Task Switched */
#define CR0_NE  0x00000020 /* Numeric Errror */
#define CR0_WP  0x00010000 /* Write Protect */
#define CR0_AM  0x00040000 /* Alignment Mask */
#define CR0_PG  0x80000000 /* Paging */
#define CR4_PSE 0x00000010 /* Page Size Extensions */

/* Page-fault error code bits. */
#define FEC_P 0x1 /* 0: not present, 1: protection violation */
#define FEC_W 0x2 /* 0: read, 1: write */
#define FEC_U 0x4 /* 0: kernel mode, 1: user mode */

/* EFLAGS bits. */
#define FL_IF        0x00000200 /* Interrupt Flag */
#define FL_IOPL_MASK 0x00003000

/* Application segment type bits. */
#define STA_X 0x8 /* Executable segment */
#define STA_W 0x2 /* Writeable (non-executable segments) */
#define STA_R 0x2 /* Readable (executable segments) */

/* System segment type bits. */
#define STS_T32A 0x9 /* Available 32-bit TSS */
#define STS_IG32 0xE /* 32-bit Interrupt Gate */
#define STS_TG32 0xF /* 32-bit Trap Gate */

#ifdef __ASSEMBLER__

/* SEG_ASM - a flat segment descriptor for the boot GDT. */
#define SEG_NULLASM                                                            \
    .word 0, 0;                                                                \
    .byte 0, 0, 0, 0
#define SEG_ASM(type, base, lim)                                               \
    .word(((lim) >> 12) & 0xffff), ((base)&0xffff);                            \
    .byte(((base) >> 16) & 0xff), (0x90 | (type)),                             \
        (0xC0 | (((lim) >> 28) & 0xf)), (((base) >> 24) & 0xff)

#else /* !__ASSEMBLER__ */

#include <defs.h>

/* Gate descriptor for interrupts and traps. */
struct gatedesc {
    unsigned gd_off_15_0 : 16;
    unsigned gd_ss : 16;
    unsigned gd_args : 5;
    unsigned gd_rsv1 : 3;
    unsigned gd_type : 4;
    unsigned gd_s : 1;
    unsigned gd_dpl : 2;
    unsigned gd_p : 1;
    unsigned gd_off_31_16 : 16;
};

/* SETGATE - point @gate at handler @off in segment @sel, callable from @dpl. */
#define SETGATE(gate, istrap, sel, off, dpl)                                   \
    do {                                                                       \
        (gate).gd_off_15_0 = (uint32_t)(off)&0xffff;                           \
        (gate).gd_ss = (sel);                                                  \
        (gate).gd_args = 0;                                                    \
        (gate).gd_rsv1 = 0;                                                    \
        (gate).gd_type = (istrap) ? STS_TG32 : STS_IG32;                       \
        (gate).gd_s = 0;                                                       \
        (gate).gd_dpl = (dpl);                                                 \
        (gate).gd_p = 1;                                                       \
        (gate).gd_off_31_16 = (uint32_t)(off) >> 16;                           \
    } while (0)

/* Segment descriptor. */
struct segdesc {
    unsigned sd_lim_15_0 : 16;
    unsigned sd_base_15_0 : 16;
    unsigned sd_base_23_16 : 8;
    unsigned sd_type : 4;
    unsigned sd_s : 1;
    unsigned sd_dpl : 2;
    unsigned sd_p : 1;
    unsigned sd_lim_19_16 : 4;
    unsigned sd_avl : 1;
    unsigned sd_rsv1 : 1;
    unsigned sd_db : 1;
    unsigned sd_g : 1;
    unsigned sd_base_31_24 : 8;
};

#define SEG_NULL                                                               \
    (struct segdesc) { 0 }

/* SEG - a 4 GiB-granular code/data descriptor of @type at @dpl. */
#define SEG(type, base, lim, dpl)                                              \
    (struct segdesc)                                                           \
    {                                                                          \
        ((lim) >> 12) & 0xffff, (base)&0xffff, ((base) >> 16) & 0xff, type, 1, \
            dpl, 1, (unsigned)(lim) >> 28, 0, 0, 1, 1, (unsigned)(base) >> 24  \
    }

/* SEGTSS - a byte-granular TSS descriptor. */
#define SEGTSS(type, base, lim, dpl)                                           \
    (struct segdesc)                                                           \
    {                                                                          \
        (lim) & 0xffff, (base)&0xffff, ((base) >> 16) & 0xff, type, 0, dpl, 1, \
            (unsigned)(lim) >> 16, 0, 0, 1, 0, (unsigned)(base) >> 24          \
    }

/* Task state segment; the kernel uses only ts_esp0/ts_ss0. */
struct taskstate {
    uint32_t ts_link;
    uintptr_t ts_esp0;
    uint16_t ts_ss0;
    uint16_t ts_padding1;
    uintptr_t ts_esp1;
    uint16_t ts_ss1;
    uint16_t ts_padding2;
    uintptr_t ts_esp2;
    uint16_t ts_ss2;
    uint16_t ts_padding3;
    uintptr_t ts_cr3;
    uintptr_t ts_eip;
    uint32_t ts_eflags;
    uint32_t ts_eax, ts_ecx, ts_edx, ts_ebx;
    uintptr_t ts_esp, ts_ebp;
    uint32_t ts_esi, ts_edi;
    uint16_t ts_es, ts_padding4;
    uint16_t ts_cs, ts_padding5;
    uint16_t ts_ss, ts_padding6;
    uint16_t ts_ds, ts_padding7;
    uint16_t ts_fs, ts_padding8;
    uint16_t ts_gs, ts_padding9;
    uint16_t ts_ldt, ts_padding10;
    uint16_t ts_t, ts_iomb;
} __attribute__((packed));

#endif /* !__ASSEMBLER__ */

#endif /* !KERN_MM_MMU_H */
