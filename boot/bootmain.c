/*
 * bootmain.c -- the C half of the boot sector.  The kernel is an ELF32 file
 * that starts at disk sector 1; we read its header to 0x10000, load every
 * PT_LOAD segment at its physical address, zero its .bss tail and jump to
 * the (physical) entry point.  The disk is read with IDE PIO, polling,
 * BLOCK sectors per command (READ MULTIPLE): QEMU then reads the disk
 * image once per block, not once per sector, and the kernel (about 600
 * KiB) loads in a tenth of the time.
 */
#include <defs.h>
#include <x86.h>
#include <elf.h>

#define SECTSIZE 512
#define BLOCK    16 /* sectors per READ MULTIPLE block (set at boot) */
#define ELFHDR   ((struct elfhdr *)0x10000)

/* waitdisk - spin until the IDE controller is ready. */
static void waitdisk(void)
{
    while ((inb(0x1F7) & 0xC0) != 0x40) {
    }
}

/* readsect - read the BLOCK disk sectors from @secno to @dst, one block
 * of READ MULTIPLE. */
static void readsect(void *dst, uint32_t secno)
{
    waitdisk();
    outb(0x1F2, BLOCK);
    outb(0x1F3, secno & 0xFF);
    outb(0x1F4, (secno >> 8) & 0xFF);
    outb(0x1F5, (secno >> 16) & 0xFF);
    outb(0x1F6, ((secno >> 24) & 0xF) | 0xE0);
    outb(0x1F7, 0xC4); /* READ MULTIPLE */
    waitdisk();
    insl(0x1F0, dst, BLOCK * SECTSIZE / 4);
}

/* readseg - read @count bytes at kernel file @offset into @pa; reads
 * whole blocks, so up to BLOCK sectors more: over the segment's .bss
 * (zeroed after) or the next segment up (loaded after). */
static void readseg(uintptr_t pa, uint32_t count, uint32_t offset)
{
    uintptr_t end = pa + count;
    pa -= offset % SECTSIZE;
    uint32_t secno = offset / SECTSIZE + 1; /* the kernel starts at sector 1 */
    for (; pa < end; pa += BLOCK * SECTSIZE, secno += BLOCK) {
        readsect((void *)pa, secno);
    }
}

/* bootmain - load the kernel and jump to it; returns only on a bad image. */
void bootmain(void)
{
    outb(0x1F2, BLOCK);
    outb(0x1F7, 0xC6); /* SET MULTIPLE MODE: BLOCK sectors per block */
    readseg((uintptr_t)ELFHDR, SECTSIZE * 8, 0);
    if (ELFHDR->e_magic != ELF_MAGIC) {
        return;
    }
    struct proghdr *ph =
        (struct proghdr *)((uintptr_t)ELFHDR + ELFHDR->e_phoff);
    struct proghdr *eph = ph + ELFHDR->e_phnum;
    for (; ph < eph; ph++) {
        if (ph->p_type != ELF_PROG_LOAD) {
            continue;
        }
        readseg(ph->p_pa, ph->p_filesz, ph->p_offset);
        uint8_t *bss = (uint8_t *)(ph->p_pa + ph->p_filesz);
        for (uint32_t i = ph->p_filesz; i < ph->p_memsz; i++) {
            *bss++ = 0;
        }
    }
    ((void (*)(void))ELFHDR->e_entry)();
}
