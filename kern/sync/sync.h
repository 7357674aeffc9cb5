/* sync.h -- save and restore the interrupt flag around a critical section. */
#ifndef KERN_SYNC_SYNC_H
#define KERN_SYNC_SYNC_H

#include <x86.h>
#include <intr.h>
#include <mmu.h>

/* __intr_save - disable interrupts; return whether they were enabled. */
static inline bool __intr_save(void)
{
    if (read_eflags() & FL_IF) {
        intr_disable();
        return 1;
    }
    return 0;
}

static inline void __intr_restore(bool flag)
{
    if (flag) {
        intr_enable();
    }
}

#define local_intr_save(x)                                                     \
    do {                                                                       \
        x = __intr_save();                                                     \
    } while (0)
#define local_intr_restore(x) __intr_restore(x)

#endif /* !KERN_SYNC_SYNC_H */
