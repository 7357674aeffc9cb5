/* swap_check.h -- the swap boot self-check (swap_check.c). */
#ifndef KERN_MM_CHECK_SWAP_CHECK_H
#define KERN_MM_CHECK_SWAP_CHECK_H

/* check_swap - ucore Lab 3's check in kernel mode: five pages through
 * four frames, an exact fault count for the policy in use, the pages'
 * contents intact, clean pages evicted without a write, then the
 * policy's own check; every frame and slot back.  Prints "check_swap()
 * succeeded!", or that it was skipped when swap is off.  Needs swap_init
 * and no user pages yet. */
void check_swap(void);

#endif /* !KERN_MM_CHECK_SWAP_CHECK_H */
