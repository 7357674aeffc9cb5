/* poweroff.h -- leave QEMU from inside the kernel. */
#ifndef KERN_DRIVER_POWEROFF_H
#define KERN_DRIVER_POWEROFF_H

/* poweroff - end the emulator run: isa-debug-exit when present, then ACPI
 * S5; halts forever on hardware that offers neither. */
void poweroff(void) __attribute__((noreturn));

#endif /* !KERN_DRIVER_POWEROFF_H */
