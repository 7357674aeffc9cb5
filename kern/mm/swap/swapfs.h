/* swapfs.h -- the swap disk as an array of page-sized slots (ucore's
 * swapfs): slot s lives in sectors [s * PAGE_NSECT, (s + 1) * PAGE_NSECT)
 * of IDE drive SWAP_DEV_NO, and a bitmap says which slots are taken.
 * Only this file talks to the block device (ide.h). */
#ifndef KERN_MM_SWAP_SWAPFS_H
#define KERN_MM_SWAP_SWAPFS_H

#include <defs.h>
#include <swap.h>

#define SWAP_DEV_NO 1 /* QEMU's -drive ...,index=1 */
#define SECTSIZE    512
#define PAGE_NSECT  (PGSIZE / SECTSIZE) /* sectors per slot */

struct Page;

/* max_swap_offset - one past the last slot (ucore's); 0 while swap is
 * off.  Slots 1 .. max_swap_offset - 1 are usable. */
extern size_t max_swap_offset;

/* swapfs_init - size the slots from the swap disk and allocate the
 * bitmap (kernel pool).  0, -E_NO_DEV (no disk, or one too small for two
 * slots) or -E_NO_MEM; max_swap_offset stays 0 on failure. */
int swapfs_init(void);

/* slot_alloc - a free slot, now taken, or 0 when every slot is. */
size_t slot_alloc(void);

/* slot_free - give back the taken @slot; panics on a free or bad one. */
void slot_free(size_t slot);

/* swapfs_read / swapfs_write - move the page of @entry's slot between the
 * disk and @page's frame (any frame: high memory is reached through
 * kmap).  The disk's wait hook may run another process meanwhile; no kmap
 * slot is held across it.  0, or -E_SWAP_FAULT after printing the failing
 * sector, or -E_NO_MEM (no bounce buffer). */
int swapfs_read(swap_entry_t entry, struct Page *page);
int swapfs_write(swap_entry_t entry, struct Page *page);

#endif /* !KERN_MM_SWAP_SWAPFS_H */
