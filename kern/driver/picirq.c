/* picirq.c -- the two cascaded 8259A interrupt controllers.  IRQs 0-15 are
 * remapped to vectors IRQ_OFFSET..IRQ_OFFSET+15; all start masked except
 * the cascade line, and drivers unmask theirs with pic_enable(). */
#include <defs.h>
#include <x86.h>
#include <picirq.h>

#define IO_PIC1   0x20 /* master (IRQs 0-7) */
#define IO_PIC2   0xA0 /* slave (IRQs 8-15) */
#define IRQ_SLAVE 2    /* the IRQ at which the slave connects to the master */

static uint16_t irq_mask = 0xFFFF & ~(1 << IRQ_SLAVE);
static bool did_init;

static void pic_setmask(uint16_t mask)
{
    irq_mask = mask;
    if (did_init) {
        outb(IO_PIC1 + 1, mask);
        outb(IO_PIC2 + 1, mask >> 8);
    }
}

/* pic_enable - unmask @irq. */
void pic_enable(unsigned int irq) { pic_setmask(irq_mask & ~(1 << irq)); }

/* pic_init - initialise both PICs: edge triggered, vectors from
 * IRQ_OFFSET, automatic end of interrupt. */
void pic_init(void)
{
    did_init = true;
    outb(IO_PIC1 + 1, 0xFF); /* mask everything while we program */
    outb(IO_PIC2 + 1, 0xFF);
    outb(IO_PIC1, 0x11);               /* ICW1: edge, cascade, ICW4 needed */
    outb(IO_PIC1 + 1, IRQ_OFFSET);     /* ICW2: vector offset */
    outb(IO_PIC1 + 1, 1 << IRQ_SLAVE); /* ICW3: slave on IRQ2 */
    outb(IO_PIC1 + 1, 0x3);            /* ICW4: 8086 mode, auto EOI */
    outb(IO_PIC2, 0x11);
    outb(IO_PIC2 + 1, IRQ_OFFSET + 8);
    outb(IO_PIC2 + 1, IRQ_SLAVE);
    outb(IO_PIC2 + 1, 0x3);
    outb(IO_PIC1, 0x68); /* OCW3: special mask mode off, read IRR */
    outb(IO_PIC1, 0x0a);
    outb(IO_PIC2, 0x68);
    outb(IO_PIC2, 0x0a);
    pic_setmask(irq_mask);
}
