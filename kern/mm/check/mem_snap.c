/* mem_snap.c -- a snapshot of free memory, for checks that prove they
 * leaked nothing.  Empty slabs kmalloc's caches keep are given back first
 * each time: a cache that grew during a check is not a leak. */
#include <defs.h>
#include <pmm.h>
#include <kmap.h>
#include <kmalloc.h>
#include <mem_snap.h>

struct mem_snap snap_take(void)
{
    kmalloc_reclaim();
    return (struct mem_snap){nr_free_pages(), pool_nr_free(&proc_pool),
                             kmap_live()};
}

void snap_assert(const char *check, const struct mem_snap *s)
{
    struct mem_snap now = snap_take();
    if (now.kernel_free != s->kernel_free || now.proc_free != s->proc_free ||
        now.kmaps != s->kmaps) {
        panic("%s: leak: kernel pool %lu -> %lu free, process pool %lu -> %lu "
              "free, kmap slots %d -> %d",
              check, (unsigned long)s->kernel_free,
              (unsigned long)now.kernel_free, (unsigned long)s->proc_free,
              (unsigned long)now.proc_free, s->kmaps, now.kmaps);
    }
}
