/* cga.h -- the CGA (or MDA) text screen: 25 rows of 80 cells, with a
 * scrollback of the rows that scrolled off its top. */
#ifndef KERN_DRIVER_CGA_H
#define KERN_DRIVER_CGA_H

#define CGA_ROWS 25 /* rows on the screen */

/*
 * cga_init - find which adapter answers and take over its cursor
 * position, so the kernel continues below what the boot loader printed.
 */
void cga_init(void);

/*
 * cga_putc - print one character at the cursor, in the kernel's copy of
 * the screen: the adapter shows it at the next cga_flush.
 * @c: the character in the low byte; a non-zero high byte is the cell's
 *     attribute (default grey on black).  '\n', '\r', '\b' and '\t' are
 *     interpreted.  A screen that is scrolled back returns to the live
 *     rows first.  Callers hold interrupts off (cons_putc does).
 */
void cga_putc(int c);

/*
 * cga_flush - show what cga_putc printed since the last flush: copy the
 * changed cells to the adapter and move its cursor (nothing while the
 * view is scrolled back).  Callers hold interrupts off.
 */
void cga_flush(void);

/*
 * cga_scrollback - scroll the view @rows rows back into the history
 * (negative: forward, towards the live screen), stopping at the oldest
 * kept row and at the live screen.  Only the view moves; nothing printed
 * is lost.  Returns how many rows back the view now is.
 */
int cga_scrollback(int rows);

#endif /* KERN_DRIVER_CGA_H */
