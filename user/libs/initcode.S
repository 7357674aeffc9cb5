/* initcode.S -- a program's first instructions.  exec leaves argc and
 * argv on top of the user stack, so they are umain's arguments once the
 * call has pushed its return address. */
.text
.globl _start
_start:
    movl $0, %ebp               /* ends a backtrace */
    call umain
1:  jmp 1b
