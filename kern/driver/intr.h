/* intr.h -- turn interrupts on and off. */
#ifndef KERN_DRIVER_INTR_H
#define KERN_DRIVER_INTR_H

void intr_enable(void);
void intr_disable(void);

#endif /* !KERN_DRIVER_INTR_H */
