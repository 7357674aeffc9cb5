/*
 * bootasm.S -- the start of the boot sector (disk sector 0, with
 * bootmain.c at most 510 bytes): the BIOS loads this sector
 * at 0x7c00 and jumps here in 16-bit real mode.  We turn on A20, collect the
 * BIOS e820 memory map at E820_PADDR, switch to 32-bit protected mode with a
 * flat GDT and call bootmain(), which loads the kernel.
 */
#include <mmu.h>
#include <memlayout.h>

.set PROT_MODE_CSEG, 0x8   /* kernel code segment selector */
.set PROT_MODE_DSEG, 0x10  /* kernel data segment selector */
.set SMAP, 0x534d4150      /* "SMAP": the e820 signature */

/* struct e820map at E820_PADDR: nr_map, nr_dropped, error, map[E820MAX]. */
.set E820_NR, E820_PADDR
.set E820_DROPPED, E820_PADDR + 4
.set E820_ERROR, E820_PADDR + 8
.set E820_MAP, E820_PADDR + 12
.set E820_MAP_END, E820_MAP + 20 * E820MAX

.globl start
start:
.code16
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw $start, %sp

    /* A20: ask the 8042 keyboard controller to set the output port. */
seta20.1:
    inb $0x64, %al
    testb $0x2, %al
    jnz seta20.1
    movb $0xd1, %al
    outb %al, $0x64
seta20.2:
    inb $0x64, %al
    testb $0x2, %al
    jnz seta20.2
    movb $0xdf, %al
    outb %al, $0x60

    /*
     * INT 15h, EAX=E820: one descriptor per call at ES:DI.  Entries that do
     * not fit in map[E820MAX] are written to the scratch slot just past the
     * array and only counted in nr_dropped.  A carry or a wrong signature
     * on the first call is a failed probe: error = 1, the map is empty; on
     * a later call either one ends the list (some BIOSes end it that way).
     * A BIOS that never returns a zero continuation is cut off when
     * nr_dropped reaches E820_DROP_MAX: at most E820MAX + E820_DROP_MAX
     * calls, and nr_dropped == E820_DROP_MAX tells the kernel.
     */
probe_memory:
    xorl %ebx, %ebx
    movl %ebx, E820_NR
    movl %ebx, E820_DROPPED
    movl %ebx, E820_ERROR
    movw $E820_MAP, %di
probe_next:
    movl $0xe820, %eax
    movl $20, %ecx
    movl $SMAP, %edx
    int $0x15
    jc probe_carry
    cmpl $SMAP, %eax
    jne probe_carry
    cmpw $E820_MAP_END, %di
    jae probe_full
    incl E820_NR
    addw $20, %di
    jmp probe_more
probe_full:
    incl E820_DROPPED
    cmpb $E820_DROP_MAX, E820_DROPPED
    jae probe_done
probe_more:
    testl %ebx, %ebx
    jnz probe_next
    jmp probe_done
probe_carry:
    cmpw $E820_MAP, %di       /* after some entries: the end of the list */
    jne probe_done
probe_fail:
    movl $1, E820_ERROR
probe_done:

    lgdt gdtdesc
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmp $PROT_MODE_CSEG, $protcseg

.code32
protcseg:
    movw $PROT_MODE_DSEG, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    xorl %ebp, %ebp
    movl $start, %esp
    call bootmain
spin:
    jmp spin

.p2align 2
gdt:
    SEG_NULLASM
    SEG_ASM(STA_X | STA_R, 0x0, 0xffffffff)
    SEG_ASM(STA_W, 0x0, 0xffffffff)
gdtdesc:
    .word 0x17
    .long gdt
