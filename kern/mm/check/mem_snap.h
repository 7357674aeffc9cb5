/* mem_snap.h -- free memory before and after a boot check (mem_snap.c). */
#ifndef KERN_MM_CHECK_MEM_SNAP_H
#define KERN_MM_CHECK_MEM_SNAP_H

#include <defs.h>

/* struct mem_snap - free frames of both pools and live kmap slots. */
struct mem_snap {
    size_t kernel_free, proc_free;
    int kmaps;
};

/* snap_take - the current free memory. */
struct mem_snap snap_take(void);

/* snap_assert - panic, naming @check, unless free memory is back to @s. */
void snap_assert(const char *check, const struct mem_snap *s);

#endif /* !KERN_MM_CHECK_MEM_SNAP_H */
