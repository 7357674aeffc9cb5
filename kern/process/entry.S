/* entry.S -- where new processes start.  forkrets(tf) leaves through the
 * trap return path with the frame @tf; a kernel thread's frame resumes at
 * kernel_thread_entry with the function in %ebx, its argument in %edx and
 * the exit function (do_exit) in %esi, which gets the function's result. */
.text
.globl kernel_thread_entry
kernel_thread_entry:
    pushl %edx
    call *%ebx
    pushl %eax
    call *%esi                  /* does not return */

.globl forkrets
forkrets:
    movl 4(%esp), %esp
    jmp __trapret
