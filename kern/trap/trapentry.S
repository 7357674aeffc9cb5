/* trapentry.S -- the common path of every interrupt and exception: finish
 * the trapframe, load kernel data segments, call trap(), restore. */
#include <memlayout.h>

.text
.globl __alltraps
__alltraps:
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    cld                     /* C code assumes DF = 0; user mode may set it */
    movl $GD_KDATA, %eax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp              /* the trapframe argument */
    call trap
    popl %esp

.globl __trapret
__trapret:
    popal
    popl %gs
    popl %fs
    popl %es
    popl %ds
    addl $0x8, %esp         /* the trap number and error code */
    iret
