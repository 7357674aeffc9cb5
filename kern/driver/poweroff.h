/* poweroff.h -- leave QEMU from inside the kernel. */
#ifndef KERN_DRIVER_POWEROFF_H
#define KERN_DRIVER_POWEROFF_H

void poweroff(void) __attribute__((noreturn));

#endif /* !KERN_DRIVER_POWEROFF_H */
