#include <x86.h>
#include <intr.h>

/* intr_enable - let the CPU take maskable interrupts. */
void intr_enable(void) { sti(); }

/* intr_disable - stop the CPU taking maskable interrupts. */
void intr_disable(void) { cli(); }
