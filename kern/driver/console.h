/* console.h -- the kernel console: CGA text screen and COM1 for output,
 * PS/2 keyboard and COM1 for input. */
#ifndef KERN_DRIVER_CONSOLE_H
#define KERN_DRIVER_CONSOLE_H

#include <defs.h>

/*
 * cons_init - set up the CGA screen, COM1 (if present) and the keyboard,
 * then unmask IRQ_KBD and, when a UART answered, IRQ_COM1 at the PIC.
 * Call once, before the first cons_putc; it may run before pic_init (the
 * IRQ masks it sets are applied when the PICs are initialised).
 */
void cons_init(void);

/*
 * cons_putc - print one character on the screen and on the serial line.
 * @c: the character in the low byte; a non-zero high byte is used as the
 *     CGA attribute (default grey on black).  '\n', '\r', '\b' and '\t' are
 *     interpreted; the serial line gets "\r\n" for '\n' and "\b \b" for '\b'.
 */
void cons_putc(int c);

/*
 * cons_getc - the next typed character from the keyboard or the serial
 * line, or 0 when there is none.  Never blocks; polls both devices, so it
 * also works with interrupts disabled.  Serial '\r' arrives as '\n' and
 * DEL as '\b'.
 */
int cons_getc(void);

/*
 * cons_tick - the timer's tick (trap.c, with interrupts off): the screen
 * shows what was printed since the last one.  From the first tick on,
 * cons_putc with interrupts on leaves the screen to it.
 */
void cons_tick(void);

/*
 * cons_written - how many characters cons_putc has printed since boot
 * (wraps); cons_mid_line - whether the last one was not a newline.  The
 * timer uses them to print its line between other lines, never inside
 * one.
 */
unsigned int cons_written(void);
bool cons_mid_line(void);

/*
 * kbd_intr - the IRQ_KBD handler: move the keyboard's pending input into
 * the console's input buffer.  Call with interrupts disabled.
 */
void kbd_intr(void);

/*
 * serial_intr - the IRQ_COM1 handler: move the UART's pending input into
 * the console's input buffer.  Does nothing when there is no UART.  Call
 * with interrupts disabled.
 */
void serial_intr(void);

#endif /* !KERN_DRIVER_CONSOLE_H */
