/* poweroff.c -- stop the emulator: QEMU's isa-debug-exit device when the
 * run was started with one (make bench-kernel), else ACPI power-off of the
 * PIIX4 chipset QEMU emulates, else halt. */
#include <x86.h>
#include <stdio.h>
#include <poweroff.h>

#define DEBUG_EXIT_PORT 0xf4  /* -device isa-debug-exit,iobase=0xf4 */
#define ACPI_PM1A_CNT   0x604 /* QEMU i440fx/PIIX4 PM1a control */
#define ACPI_SLP_EN_S5  0x2000

void poweroff(void)
{
    cprintf("poweroff\n");
    outb(DEBUG_EXIT_PORT, 0);
    outw(ACPI_PM1A_CNT, ACPI_SLP_EN_S5);
    cli();
    for (;;) {
        hlt();
    }
}
