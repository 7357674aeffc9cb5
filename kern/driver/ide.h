/* ide.h -- the two disks of the primary ATA channel, polled (bus-master
 * DMA where the controller and drive have it, else PIO), ucore's
 * interface: drive 0 (master) is the boot disk, drive 1 (slave, QEMU's
 * index=1) the swap disk.  Sectors are 512 bytes, numbered from 0 (LBA28). */
#ifndef KERN_DRIVER_IDE_H
#define KERN_DRIVER_IDE_H

#include <defs.h>

#define SECTSIZE 512 /* bytes per sector */

/* ide_init - mask the channel's interrupt (nIEN) and IDENTIFY drives 0 and
 * 1; prints "ide N: S sectors (SIZE)" for each drive that answers.  A
 * drive that does not (nothing attached, a floating bus, a timeout) is
 * simply absent. */
void ide_init(void);

/* ide_device_valid - whether drive @ideno answered ide_init's IDENTIFY. */
bool ide_device_valid(unsigned short ideno);

/* ide_device_size - the sectors of drive @ideno; 0 when it is absent. */
size_t ide_device_size(unsigned short ideno);

/**
 * ide_read_secs - read @nsecs sectors from sector @secno of drive @ideno
 * into @dst (@nsecs * SECTSIZE bytes, a kernel address).
 * @ideno:  0 or 1, a present drive
 * @secno:  the first sector; the range must lie on the disk
 * @nsecs:  at least 1 (split into commands of up to 256 sectors)
 *
 * Returns 0, -E_INVAL for a bad argument or -E_IO when the drive reports
 * an error or does not answer in time; either is printed, naming the
 * function, the drive, the sector and the status (and error) register.
 * May give the CPU to another process while the drive works (the wait
 * hook): the caller must not hold a half-changed kernel structure.
 */
int ide_read_secs(unsigned short ideno, uint32_t secno, void *dst,
                  size_t nsecs);

/* ide_write_secs - write @nsecs sectors from @src to sector @secno of
 * drive @ideno; arguments, results and waiting as for ide_read_secs. */
int ide_write_secs(unsigned short ideno, uint32_t secno, const void *src,
                   size_t nsecs);

/* ide_set_wait_hook - have the driver call @hook (NULL: nothing) once a
 * command is issued, before it polls for the result, and while a second
 * caller waits for the channel: the process layer's way to let another
 * process run meanwhile.  The hook may switch processes and return later. */
void ide_set_wait_hook(void (*hook)(void));

/* check_ide - the boot self-check: when drive 1 is present, write two
 * patterns in turn to its last 40 sectors (two DRQ blocks of 16 and a
 * part of one, or 40 single sectors) and read each back; prints
 * "check_ide() succeeded!" and returns true, or says what differed and
 * returns false.  True without drive 1.  Never touches drive 0. */
bool check_ide(void);

#endif /* !KERN_DRIVER_IDE_H */
