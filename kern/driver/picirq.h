/* picirq.h -- the two 8259A interrupt controllers. */
#ifndef KERN_DRIVER_PICIRQ_H
#define KERN_DRIVER_PICIRQ_H

#define IRQ_OFFSET 32 /* vector of IRQ 0 */
#define IRQ_TIMER  0
#define IRQ_KBD    1
#define IRQ_COM1   4

/* pic_init - program both PICs (vectors from IRQ_OFFSET, auto EOI) and
 * apply the masks pic_enable() has set so far. */
void pic_init(void);
/* pic_enable - unmask @irq (0-15); may be called before pic_init. */
void pic_enable(unsigned int irq);

#endif /* !KERN_DRIVER_PICIRQ_H */
