/* elf.h -- the ELF32 headers the boot loader reads. */
#ifndef LIBS_ELF_H
#define LIBS_ELF_H

#include <defs.h>

#define ELF_MAGIC 0x464C457FU /* "\x7FELF" in little endian */

struct elfhdr {
    uint32_t e_magic;
    uint8_t e_elf[12];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint32_t e_entry; /* entry point (a physical address for this kernel) */
    uint32_t e_phoff; /* file offset of the program header table */
    uint32_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum; /* number of program headers */
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct proghdr {
    uint32_t p_type;   /* ELF_PROG_LOAD for a segment to load */
    uint32_t p_offset; /* file offset of the segment */
    uint32_t p_va;     /* virtual address */
    uint32_t p_pa;     /* physical (load) address */
    uint32_t p_filesz; /* bytes in the file */
    uint32_t p_memsz;  /* bytes in memory (the rest is zeroed) */
    uint32_t p_flags;
    uint32_t p_align;
};

#define ELF_PROG_LOAD 1

/* p_flags */
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

#endif /* !LIBS_ELF_H */
