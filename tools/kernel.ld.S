/* kernel.ld.S -- the kernel runs at KERNBASE + 1 MiB and is loaded at 1 MiB.
 * The Makefile runs it through the C preprocessor (-undef: no "i386"
 * macro) into obj/<config>/kernel.ld, so KERNBASE is memlayout.h's: 0xC0000000,
 * or 0 under make VAPA=1 (virtual address == physical address). */
#include <memlayout.h>

OUTPUT_FORMAT("elf32-i386", "elf32-i386", "elf32-i386")
OUTPUT_ARCH(i386)
ENTRY(_start)

SECTIONS {
    . = KERNBASE + 0x100000;

    .text : AT(ADDR(.text) - KERNBASE) {
        *(.text .stub .text.* .gnu.linkonce.t.*)
    }
    PROVIDE(etext = .);

    .rodata : AT(ADDR(.rodata) - KERNBASE) {
        *(.rodata .rodata.* .gnu.linkonce.r.*)
    }

    . = ALIGN(0x1000);
    .data : AT(ADDR(.data) - KERNBASE) {
        *(.data .data.*)
    }
    /* The symbol table for backtraces; it is generated from a first link,
     * so it comes after everything whose addresses it records. */
    .ksyms : AT(ADDR(.ksyms) - KERNBASE) {
        *(.ksyms)
    }
    PROVIDE(edata = .);

    .bss : AT(ADDR(.bss) - KERNBASE) {
        *(.bss .bss.*)
        *(COMMON)
    }
    PROVIDE(end = .);

    /DISCARD/ : {
        *(.eh_frame .note.GNU-stack .comment .note.gnu.property)
    }
}
