/*
 * vm_probe.S -- the probes of vm_probe.h.  Each has exactly one
 * instruction that may fault; __vm_fixups pairs its address with the
 * fixup, which makes the probe return -E_FAULT.  A page fault that is
 * handled (a lazily allocated page) simply re-runs the instruction.
 */
#include <error.h>

.text
.globl vm_probe_write
vm_probe_write:                 /* int vm_probe_write(addr, val) */
    movl 4(%esp), %edx
    movl 8(%esp), %ecx
    xorl %eax, %eax
probe_store:
    movl %ecx, (%edx)
    ret

.globl vm_probe_read
vm_probe_read:                  /* int vm_probe_read(addr, *val) */
    movl 4(%esp), %edx
    xorl %eax, %eax
probe_load:
    movl (%edx), %ecx
    movl 8(%esp), %edx
    movl %ecx, (%edx)
    ret

probe_fault:                    /* both probes resume here on a segfault */
    movl $-E_FAULT, %eax
    ret

.globl vm_probe_copy
vm_probe_copy:                  /* int vm_probe_copy(dst, src, n) */
    pushl %esi
    pushl %edi
    movl 12(%esp), %edi
    movl 16(%esp), %esi
    movl 20(%esp), %ecx
    xorl %eax, %eax
probe_copy:
    rep movsb                   /* resumes here after a handled fault */
copy_out:
    popl %edi
    popl %esi
    ret
copy_fault:
    movl $-E_FAULT, %eax
    jmp copy_out

.section .rodata
.align 4
.globl __vm_fixups
__vm_fixups:                    /* {faulting instruction, fixup} pairs */
    .long probe_store, probe_fault
    .long probe_load, probe_fault
    .long probe_copy, copy_fault
.globl __vm_fixups_end
__vm_fixups_end:
