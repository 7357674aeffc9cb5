/* clock.h -- the 8253/8254 programmable interval timer. */
#ifndef KERN_DRIVER_CLOCK_H
#define KERN_DRIVER_CLOCK_H

#include <defs.h>
#include <picirq.h>

extern volatile size_t ticks;

void clock_init(void);

#endif /* !KERN_DRIVER_CLOCK_H */
