/* clock.h -- the 8253/8254 programmable interval timer. */
#ifndef KERN_DRIVER_CLOCK_H
#define KERN_DRIVER_CLOCK_H

#include <defs.h>
#include <picirq.h>

extern volatile size_t ticks;

/* clock_init - start the 100 Hz PIT tick on IRQ 0 and count it in ticks. */
void clock_init(void);

#endif /* !KERN_DRIVER_CLOCK_H */
