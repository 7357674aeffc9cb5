/* vmstat.h -- what SYS_vmstat reports, shared by the kernel and user/.
 * Fields are only ever appended (the swap counters go at the end when
 * swap exists): the caller passes the size it knows and the kernel fills
 * that much. */
#ifndef LIBS_VMSTAT_H
#define LIBS_VMSTAT_H

#include <defs.h>

/*
 * struct vmstat - page-fault counters and the caller's memory.
 *
 * Page faults since boot, all processes together (every fault is one of
 * zero_fill, cow_copy, cow_reuse or segv):
 * @faults:      every page fault
 * @zero_fill:   a not-present page got a new zeroed frame
 * @cow_copy:    a write to a copy-on-write page still shared: copied
 * @cow_reuse:   a write to a copy-on-write page no one else maps any
 *               more: made writable again, nothing copied
 * @prot_faults: faults on a present page (the COW faults included)
 * @segv:        segmentation faults (the process is killed)
 * @fork_copies: pages copied by fork itself (0 unless the kernel was
 *               built with FORK=eager)
 *
 * The calling process:
 * @pages:       present user pages of its address space; a frame shared
 *               with other processes (copy-on-write, read-only text)
 *               counts in every process that maps it
 * @shared:      of those, pages whose frame is mapped more than once
 * @tables:      its page tables
 *
 * The process pool (frames of user pages and of their page tables):
 * @pool_frames: frames in the pool
 * @pool_free:   frames free right now
 */
struct vmstat {
    uint32_t faults, zero_fill, cow_copy, cow_reuse, prot_faults, segv;
    uint32_t fork_copies;
    uint32_t pages, shared, tables;
    uint32_t pool_frames, pool_free;
};

#endif /* !LIBS_VMSTAT_H */
