/* clock.c -- program PIT channel 0 to interrupt TICKS_PER_SEC times a second
 * on IRQ 0; trap.c counts the ticks. */
#include <x86.h>
#include <stdio.h>
#include <picirq.h>
#include <clock.h>

#define IO_TIMER1     0x040 /* 8253 timer #1 */
#define TIMER_FREQ    1193182
#define TIMER_MODE    (IO_TIMER1 + 3)
#define TIMER_SEL0    0x00 /* select counter 0 */
#define TIMER_RATEGEN 0x04 /* mode 2, rate generator */
#define TIMER_16BIT   0x30 /* r/w counter 16 bits, LSB first */
#define TICKS_PER_SEC 100

volatile size_t ticks;

/* clock_init - start the 100 Hz timer and unmask IRQ 0. */
void clock_init(void)
{
    unsigned divisor = TIMER_FREQ / TICKS_PER_SEC;
    outb(TIMER_MODE, TIMER_SEL0 | TIMER_RATEGEN | TIMER_16BIT);
    outb(IO_TIMER1, divisor % 256);
    outb(IO_TIMER1, divisor / 256);
    ticks = 0;
    cprintf("++ setup timer interrupts\n");
    pic_enable(IRQ_TIMER);
}
