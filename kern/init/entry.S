/*
 * entry.S -- the kernel's first instructions, run at the physical address
 * the boot loader jumped to, with paging off.  We turn on paging with
 * __boot_pgdir, which maps all of KMEMSIZE at KERNBASE with 4 MiB pages
 * (CR4.PSE) -- so the Page array and early allocations can lie anywhere in
 * the first 896 MiB -- plus the first 4 MiB at 0 for the jump itself, then
 * switch to the high addresses and call kern_init.  Under make VAPA=1
 * (KERNBASE 0) the direct map is itself the identity map and the jump
 * lands on the next instruction.
 */
#include <mmu.h>
#include <memlayout.h>

#define PHYS(x) ((x) - KERNBASE)

.set KERN_PDX, KERNBASE >> PDXSHIFT      /* first PDE of the direct map */
.set KERN_NPDE, KMEMSIZE >> PDXSHIFT     /* 4 MiB pages in the direct map */
.set PDE_BIG, PTE_P | PTE_W | PTE_PS

.text
.globl _start
_start = PHYS(kern_entry)

.globl kern_entry
kern_entry:
    movl %cr4, %eax
    orl $CR4_PSE, %eax
    movl %eax, %cr4
    movl $PHYS(__boot_pgdir), %eax
    movl %eax, %cr3
    movl %cr0, %eax
    orl $(CR0_PE | CR0_PG | CR0_AM | CR0_WP | CR0_NE | CR0_MP), %eax
    andl $~(CR0_TS | CR0_EM), %eax
    movl %eax, %cr0
    leal high, %eax
    jmp *%eax                       /* from the identity map to KERNBASE */
high:
    xorl %ebp, %ebp                 /* ends the backtrace */
    movl $bootstacktop, %esp
    call kern_init
spin:
    jmp spin

.data
.align PGSIZE
.globl bootstack
bootstack:
    .space KSTACKSIZE
.globl bootstacktop
bootstacktop:

.align PGSIZE
.globl __boot_pgdir
__boot_pgdir:
.if KERN_PDX                 /* not under VAPA: its direct map starts at 0 */
    .long 0 | PDE_BIG                /* 0 - 4 MiB, only until pmm_init */
    .space (KERN_PDX - 1) * 4
.endif
    .set pde, 0
    .rept KERN_NPDE
    .long (pde << PDXSHIFT) | PDE_BIG
    .set pde, pde + 1
    .endr
    .space (NPDEENTRY - KERN_PDX - KERN_NPDE) * 4
