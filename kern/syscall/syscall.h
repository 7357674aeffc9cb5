/* syscall.h -- the system-call dispatcher (int T_SYSCALL). */
#ifndef KERN_SYSCALL_SYSCALL_H
#define KERN_SYSCALL_SYSCALL_H

/* syscall_init - register the dispatcher as the trap path's system-call
 * hook: the number in eax (libs/unistd.h, ucore's), the arguments in edx,
 * ecx, ebx, edi, esi, the result in eax.  Pointer arguments are checked
 * against the caller's regions (-E_INVAL); an unknown number ends the
 * process with -1 and a message. */
void syscall_init(void);

#endif /* !KERN_SYSCALL_SYSCALL_H */
