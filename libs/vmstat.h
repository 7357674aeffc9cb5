/* vmstat.h -- what SYS_vmstat reports, shared by the kernel and user/.
 * Fields are only ever appended: the caller passes the size it knows
 * and the kernel fills that much. */
#ifndef LIBS_VMSTAT_H
#define LIBS_VMSTAT_H

#include <defs.h>

/*
 * struct vmstat - page-fault counters and the caller's memory.
 *
 * Page faults since boot, all processes together (every fault is one of
 * zero_fill, cow_copy, cow_reuse, segv, or a swap-in below):
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
 * @pool_frames: frames in the pool (less those a PROCMEM cap holds out)
 * @pool_free:   frames free right now
 *
 * Swap since boot (all 0 when swap is off):
 * @swap_ins:     faults that read a page back from swap
 * @swap_outs:    pages evicted
 * @writebacks:   evictions that wrote the page to disk
 * @clean_evicts: evictions that did not (the slot still held it)
 * @slots, @slots_free: swap slots on the disk, and free ones
 * @swapped:      pages of the calling process that are in swap
 */
struct vmstat {
    uint32_t faults, zero_fill, cow_copy, cow_reuse, prot_faults, segv;
    uint32_t fork_copies;
    uint32_t pages, shared, tables;
    uint32_t pool_frames, pool_free;
    uint32_t swap_ins, swap_outs, writebacks, clean_evicts;
    uint32_t slots, slots_free;
    uint32_t swapped;
};

#endif /* !LIBS_VMSTAT_H */
