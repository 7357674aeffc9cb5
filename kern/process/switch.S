/* switch.S -- switch_to(from, to): save the callee-saved registers, the
 * stack pointer and the return address in *from (struct context), load
 * them from *to and return there. */
.text
.globl switch_to
switch_to:
    movl 4(%esp), %eax          /* from */
    movl 8(%esp), %edx          /* to */
    popl 0(%eax)                /* from->eip: our return address */
    movl %esp, 4(%eax)
    movl %ebx, 8(%eax)
    movl %esi, 20(%eax)
    movl %edi, 24(%eax)
    movl %ebp, 28(%eax)

    movl 28(%edx), %ebp
    movl 24(%edx), %edi
    movl 20(%edx), %esi
    movl 8(%edx), %ebx
    movl 4(%edx), %esp
    pushl 0(%edx)               /* resume at to->eip */
    ret
