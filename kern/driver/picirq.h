/* picirq.h -- the 8259A interrupt controllers (provisional; owned by the lead).
 */
#ifndef KERN_DRIVER_PICIRQ_H
#define KERN_DRIVER_PICIRQ_H

#define IRQ_OFFSET 32 /* vector of IRQ 0 */
#define IRQ_TIMER  0
#define IRQ_KBD    1
#define IRQ_COM1   4

void pic_init(void);
void pic_enable(unsigned int irq);

#endif /* !KERN_DRIVER_PICIRQ_H */
