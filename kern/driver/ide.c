/*
 * ide.c -- the primary ATA channel, polled: command block registers at
 * 0x1F0-0x1F7, device control (write) / alternate status (read) at 0x3F6.
 * nIEN is set, so the drives never raise IRQ 14: after a command the
 * driver polls until the drive is done.  LBA28.
 *
 * Data moves by bus-master DMA when the channel's PCI IDE function has a
 * bus master (BAR4; QEMU's PIIX3 does) and the drive supports DMA
 * (IDENTIFY word 49 bit 8): the driver points the bus master at a table
 * of one physical region, dma_buf, issues READ DMA / WRITE DMA, starts
 * the bus master and polls it until it stops, at most DMA_SECS sectors a
 * command, copying between dma_buf and the caller's buffer.  The CPU
 * never touches the data port: under QEMU, where every port access is
 * emulated, a page of swap I/O took about 0.2 ms by PIO.
 *
 * Otherwise by PIO: the driver moves a block of sectors through the data
 * port each time DRQ says the drive is ready for it, at most 256 sectors
 * a command.  A drive that offers READ MULTIPLE / WRITE MULTIPLE
 * (IDENTIFY word 47) is set to its largest block (SET MULTIPLE MODE), up
 * to 16 sectors, so a 4 KiB page is one block: one wait for DRQ instead of
 * eight, and in QEMU one disk request instead of eight (a page of swap I/O
 * took about 0.55 ms by single sectors).  Other drives get READ SECTORS /
 * WRITE SECTORS, a block being one sector.  check_ide moves its sectors
 * both ways, so both paths run at every boot with a swap disk.
 *
 * Between issuing a command and polling, the driver calls the wait hook,
 * which may run other processes; one of them may want the disk too, so a
 * flag keeps the channel to one caller until its transfer is done.
 */
#include <defs.h>
#include <x86.h>
#include <error.h>
#include <stdio.h>
#include <string.h>
#include <assert.h>
#include <memlayout.h>
#include <ide.h>

#define IDE_DATA    0x1F0
#define IDE_ERROR   0x1F1 /* read: why ERR is set */
#define IDE_COUNT   0x1F2 /* sectors; 0 means 256 */
#define IDE_LBA_LO  0x1F3
#define IDE_LBA_MID 0x1F4
#define IDE_LBA_HI  0x1F5
#define IDE_DEVICE  0x1F6 /* drive select and LBA bits 24-27 */
#define IDE_STATUS  0x1F7 /* read */
#define IDE_COMMAND 0x1F7 /* write */
#define IDE_CTRL    0x3F6 /* write: device control; read: alternate status */

#define ST_ERR  0x01 /* the command failed: see IDE_ERROR */
#define ST_DRQ  0x08 /* the drive wants (or offers) a sector of data */
#define ST_DF   0x20 /* device fault */
#define ST_BSY  0x80 /* the drive owns the registers */
#define ST_NONE 0xFF /* what a floating bus (no controller) reads as */

#define CTRL_NIEN  0x02 /* no interrupts from the channel */
#define DEV_LBA    0xE0 /* LBA addressing; bits 7 and 5 are set by custom */
#define DEV_SLAVE  0x10
#define ID_CAPS_W  49     /* IDENTIFY word 49: capabilities */
#define ID_DMA     0x0100 /* ... bit 8: DMA supported */
#define ID_LBA     0x0200 /* ... bit 9: LBA supported */
#define ID_LBA28_W 60     /* IDENTIFY words 60-61: LBA28 sector count */
#define ID_MULT_W  47     /* IDENTIFY word 47, bits 7-0: the largest block
                             of READ/WRITE MULTIPLE, 0 if unsupported */

#define CMD_READ       0x20
#define CMD_WRITE      0x30
#define CMD_READ_MULT  0xC4
#define CMD_WRITE_MULT 0xC5
#define CMD_SET_MULT   0xC6
#define CMD_READ_DMA   0xC8
#define CMD_WRITE_DMA  0xCA
#define CMD_IDENTIFY   0xEC

/* PCI configuration mechanism 1, and the IDE function's bus master */
#define PCI_CONFIG_ADDR 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_ENABLE      0x80000000u
#define PCI_COMMAND     0x04   /* config register: command (low 16 bits) */
#define PCI_CMD_IO      0x0001 /* ... decode its I/O ports */
#define PCI_CMD_MASTER  0x0004 /* ... may master the bus (DMA) */
#define PCI_CLASS       0x08   /* class, subclass, prog-if, revision */
#define PCI_CLASS_IDE   0x0101 /* mass storage, IDE */
#define PCI_IF_NATIVE1  0x01   /* prog-if: the primary channel is not at
                                  0x1F0 but at its own BARs */
#define PCI_BAR4        0x20   /* the IDE function's bus-master ports */
#define BM_CMD          0      /* bus-master command: */
#define BM_START        0x01   /* ... run the transfer */
#define BM_TO_MEMORY    0x08   /* ... from the drive to memory */
#define BM_STATUS       2      /* bus-master status: */
#define BM_ACTIVE       0x01   /* ... the transfer is running */
#define BM_ERROR        0x02   /* ... it failed (write 1 to clear) */
#define BM_IRQ          0x04   /* ... the drive is done (write 1 to clear) */
#define BM_PRDT         4      /* physical address of the region table */
#define PRD_EOT         0x8000 /* the table's last region */
#define DMA_SECS        32     /* sectors of dma_buf: 16 KiB */

#define MAX_IDE     2
#define MAX_CMD_SEC 256
#define MAX_BLOCK   16 /* sectors per DRQ block the driver asks for */
/* Status polls before a drive counts as hung: a few seconds in QEMU, far
 * longer than a healthy command takes. */
#define IDE_TIMEOUT 4000000

static struct {
    bool valid;
    bool dma;       /* the drive supports DMA and the channel has a master */
    uint32_t sectors;
    uint16_t block; /* sectors per DRQ block: 1, or READ/WRITE MULTIPLE's */
} ide_devices[MAX_IDE];

static uint16_t bm_base; /* the bus master's ports; 0: none, PIO only */
/* a physical region descriptor: where, how many bytes, PRD_EOT */
static struct {
    uint32_t addr;
    uint16_t bytes;
    uint16_t flags;
} prdt __attribute__((aligned(8)));
/* DMA goes through here: physically contiguous (kernel .bss, direct-mapped)
 * and aligned to its size, so it does not cross a 64 KiB boundary, which
 * one region may not. */
static uint8_t dma_buf[DMA_SECS * SECTSIZE]
    __attribute__((aligned(DMA_SECS * SECTSIZE)));
static_assert(DMA_SECS * SECTSIZE <= 0x10000);

/* kernel_pa - the physical address of kernel data @p (direct-mapped). */
static uint32_t kernel_pa(const void *p) { return (uintptr_t)p - KERNBASE; }

static void (*wait_hook)(void);
static bool channel_busy; /* a transfer is between its select and its end */

void ide_set_wait_hook(void (*hook)(void)) { wait_hook = hook; }

static void call_wait_hook(void)
{
    if (wait_hook != NULL) {
        wait_hook();
    }
}

/* ide_delay - the 400 ns a drive needs to put a valid status after a
 * select or a command: four reads of the alternate status. */
static void ide_delay(void)
{
    for (int i = 0; i < 4; i++) {
        inb(IDE_CTRL);
    }
}

/* ide_wait - poll until BSY clears; the status then, or -1 on timeout. */
static int ide_wait(void)
{
    for (int i = 0; i < IDE_TIMEOUT; i++) {
        uint8_t status = inb(IDE_STATUS);
        if (!(status & ST_BSY)) {
            return status;
        }
    }
    return -1;
}

/* ide_select - select drive @ideno with LBA bits 24-27 of @secno and wait
 * until it is not busy; its status, or -1 on timeout. */
static int ide_select(unsigned short ideno, uint32_t secno)
{
    outb(IDE_DEVICE,
         DEV_LBA | (ideno ? DEV_SLAVE : 0) | ((secno >> 24) & 0x0F));
    ide_delay();
    return ide_wait();
}

/* ide_identify - IDENTIFY DEVICE on drive @ideno: its LBA28 sector count,
 * or 0 when no LBA-capable ATA drive answers (an ATAPI drive aborts the
 * command with ERR); *@max_block gets its largest READ/WRITE MULTIPLE
 * block (0: none), *@dma whether it supports DMA. */
static uint32_t ide_identify(unsigned short ideno, unsigned *max_block,
                             bool *dma)
{
    outb(IDE_DEVICE, DEV_LBA | (ideno ? DEV_SLAVE : 0));
    ide_delay();
    uint8_t status = inb(IDE_STATUS);
    if (status == 0 || status == ST_NONE || ide_wait() < 0) {
        return 0;
    }
    outb(IDE_COUNT, 0);
    outb(IDE_LBA_LO, 0);
    outb(IDE_LBA_MID, 0);
    outb(IDE_LBA_HI, 0);
    outb(IDE_COMMAND, CMD_IDENTIFY);
    ide_delay();
    if (inb(IDE_STATUS) == 0) {
        return 0;
    }
    int st = ide_wait();
    if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ)) {
        return 0;
    }
    uint16_t id[SECTSIZE / 2];
    insl(IDE_DATA, id, SECTSIZE / 4);
    if (!(id[ID_CAPS_W] & ID_LBA)) {
        return 0;
    }
    *max_block = id[ID_MULT_W] & 0xFF;
    *dma = (id[ID_CAPS_W] & ID_DMA) != 0;
    return id[ID_LBA28_W] | (uint32_t)id[ID_LBA28_W + 1] << 16;
}

/* ide_block - the DRQ block for drive @ideno, which offers blocks of up
 * to @max_block sectors: the largest power of two up to that and
 * MAX_BLOCK, once SET MULTIPLE MODE has taken it; else 1 sector. */
static uint16_t ide_block(unsigned short ideno, unsigned max_block)
{
    if (max_block < 2) {
        return 1;
    }
    unsigned block = 1u << (31 - __builtin_clz(MIN(max_block, MAX_BLOCK)));
    if (ide_select(ideno, 0) < 0) {
        return 1;
    }
    outb(IDE_COUNT, block);
    outb(IDE_COMMAND, CMD_SET_MULT);
    ide_delay();
    int st = ide_wait();
    return st < 0 || (st & (ST_ERR | ST_DF)) ? 1 : block;
}

/* pci_config - the 32-bit configuration register at @off of PCI function
 * @fn of device @dev on bus 0; with @set, write @val there first. */
static uint32_t pci_config(unsigned dev, unsigned fn, unsigned off, bool set,
                           uint32_t val)
{
    outl(PCI_CONFIG_ADDR, PCI_ENABLE | dev << 11 | fn << 8 | off);
    if (set) {
        outl(PCI_CONFIG_DATA, val);
    }
    return inl(PCI_CONFIG_DATA);
}

/* ide_bus_master - the bus-master ports of the first IDE function on PCI
 * bus 0 whose primary channel is the legacy one at 0x1F0 and that has
 * them (I/O BAR4; the primary channel's are the first 8), with its I/O
 * decoding and bus mastering switched on; 0 when there is none (no PCI,
 * no such function). */
static uint16_t ide_bus_master(void)
{
    for (unsigned dev = 0; dev < 32; dev++) {
        for (unsigned fn = 0; fn < 8; fn++) {
            uint32_t id = pci_config(dev, fn, 0, false, 0);
            if ((id & 0xFFFF) == 0xFFFF) { /* no such function */
                if (fn == 0) {
                    break;
                }
                continue;
            }
            uint32_t class = pci_config(dev, fn, PCI_CLASS, false, 0);
            uint32_t bar4 = pci_config(dev, fn, PCI_BAR4, false, 0);
            if (class >> 16 != PCI_CLASS_IDE || (class >> 8 & PCI_IF_NATIVE1) ||
                !(bar4 & 1) || (bar4 & ~3u) == 0) {
                continue; /* not the function behind 0x1F0, or no master */
            }
            /* the command's upper half is the status: its bits clear on
             * a 1, so write zeros there */
            uint32_t cmd = pci_config(dev, fn, PCI_COMMAND, false, 0) & 0xFFFF;
            pci_config(dev, fn, PCI_COMMAND, true,
                       cmd | PCI_CMD_IO | PCI_CMD_MASTER);
            return bar4 & ~3u;
        }
    }
    return 0;
}

void ide_init(void)
{
    outb(IDE_CTRL, CTRL_NIEN);
    bm_base = ide_bus_master();
    for (unsigned short ideno = 0; ideno < MAX_IDE; ideno++) {
        unsigned max_block = 0;
        bool dma = false;
        uint32_t n = ide_identify(ideno, &max_block, &dma);
        ide_devices[ideno].valid = n > 0;
        ide_devices[ideno].dma = dma && bm_base != 0;
        ide_devices[ideno].sectors = n;
        if (n == 0) {
            continue;
        }
        ide_devices[ideno].block = ide_block(ideno, max_block);
        uint32_t kib = n / (1024 / SECTSIZE);
        if (kib % 1024 == 0) {
            cprintf("ide %u: %u sectors (%u MiB)\n", ideno, n, kib / 1024);
        } else {
            cprintf("ide %u: %u sectors (%u KiB)\n", ideno, n, kib);
        }
    }
}

bool ide_device_valid(unsigned short ideno)
{
    return ideno < MAX_IDE && ide_devices[ideno].valid;
}

size_t ide_device_size(unsigned short ideno)
{
    return ide_device_valid(ideno) ? ide_devices[ideno].sectors : 0;
}

/* ide_status_ok - after BSY cleared with @status (-1: it never did), was
 * the step at sector @secno fine, with DRQ as @want_drq?  0, or -E_IO
 * with the reason printed under @fn's name. */
static int ide_status_ok(const char *fn, unsigned short ideno, uint32_t secno,
                         int status, bool want_drq)
{
    const char *why;
    if (status < 0) {
        status = inb(IDE_STATUS);
        why = "timed out";
    } else if (status & ST_ERR) {
        cprintf("%s: ide %u, sector %u: status 0x%02x, error 0x%02x\n", fn,
                ideno, secno, status, inb(IDE_ERROR));
        return -E_IO;
    } else if (status & ST_DF) {
        why = "device fault";
    } else if (!(status & ST_DRQ) != !want_drq) {
        why = want_drq ? "no data request" : "a data request left over";
    } else {
        return 0;
    }
    cprintf("%s: ide %u, sector %u: %s, status 0x%02x\n", fn, ideno, secno, why,
            status);
    return -E_IO;
}

/* ide_range - the sector count @n (1..256) and LBA bits 0-23 of @secno,
 * for the next command to the selected drive. */
static void ide_range(uint32_t secno, size_t n)
{
    outb(IDE_COUNT, n & 0xFF);
    outb(IDE_LBA_LO, secno & 0xFF);
    outb(IDE_LBA_MID, (secno >> 8) & 0xFF);
    outb(IDE_LBA_HI, (secno >> 16) & 0xFF);
}

/* ide_command - one command by PIO: @n (1..256) sectors from @secno into @dst,
 * or from @src (the other one NULL), a DRQ block at a time.  0 or -E_IO
 * (the sector named is the first of the block that failed). */
static int ide_command(const char *fn, unsigned short ideno, uint32_t secno,
                       size_t n, char *dst, const char *src)
{
    /* Not ide_status_ok: ERR and DF still tell of the last command. */
    if (ide_select(ideno, secno) < 0) {
        return ide_status_ok(fn, ideno, secno, -1, false);
    }
    ide_range(secno, n);
    size_t block = ide_devices[ideno].block;
    bool mult = block > 1;
    outb(IDE_COMMAND, dst != NULL ? (mult ? CMD_READ_MULT : CMD_READ)
                                  : (mult ? CMD_WRITE_MULT : CMD_WRITE));
    ide_delay();
    call_wait_hook();
    for (size_t i = 0; i < n; i += block) {
        size_t words = MIN(block, n - i) * SECTSIZE / 4;
        int r;
        if ((r = ide_status_ok(fn, ideno, secno + i, ide_wait(), true))) {
            return r;
        }
        if (dst != NULL) {
            insl(IDE_DATA, dst + i * SECTSIZE, words);
        } else {
            outsl(IDE_DATA, src + i * SECTSIZE, words);
        }
    }
    ide_delay();
    return ide_status_ok(fn, ideno, secno + n - 1, ide_wait(), false);
}

/* ide_dma_wait - poll until the bus master has stopped (or says the
 * drive is done, or failed) and the drive is not busy; the drive's status
 * then, or -1 on timeout. */
static int ide_dma_wait(void)
{
    for (int i = 0; i < IDE_TIMEOUT; i++) {
        uint8_t bm = inb(bm_base + BM_STATUS);
        if (!(bm & BM_ACTIVE) || (bm & (BM_ERROR | BM_IRQ))) {
            return ide_wait();
        }
    }
    return -1;
}

/* ide_dma_command - one command by DMA: @n (1..DMA_SECS) sectors from
 * @secno into @dst, or from @src (the other one NULL), through dma_buf.
 * 0 or -E_IO. */
static int ide_dma_command(const char *fn, unsigned short ideno,
                           uint32_t secno, size_t n, char *dst, const char *src)
{
    size_t bytes = n * SECTSIZE;
    uint8_t dir = dst != NULL ? BM_TO_MEMORY : 0;
    if (src != NULL) {
        memcpy(dma_buf, src, bytes);
    }
    if (ide_select(ideno, secno) < 0) {
        return ide_status_ok(fn, ideno, secno, -1, false);
    }
    prdt.addr = kernel_pa(dma_buf);
    prdt.bytes = bytes;
    prdt.flags = PRD_EOT;
    outb(bm_base + BM_CMD, dir); /* stopped, the direction set */
    outl(bm_base + BM_PRDT, kernel_pa(&prdt));
    outb(bm_base + BM_STATUS, BM_ERROR | BM_IRQ);
    ide_range(secno, n);
    outb(IDE_COMMAND, dst != NULL ? CMD_READ_DMA : CMD_WRITE_DMA);
    outb(bm_base + BM_CMD, dir | BM_START);
    ide_delay();
    call_wait_hook();
    int status = ide_dma_wait();
    outb(bm_base + BM_CMD, dir);
    uint8_t bm = inb(bm_base + BM_STATUS);
    int r = ide_status_ok(fn, ideno, secno, status, false);
    if (r == 0 && (bm & BM_ERROR)) {
        cprintf("%s: ide %u, sector %u: bus-master error, status 0x%02x\n", fn,
                ideno, secno, bm);
        r = -E_IO;
    }
    if (r == 0 && dst != NULL) {
        memcpy(dst, dma_buf, bytes);
    }
    return r;
}

/* ide_args - check a transfer's arguments; 0, or -E_INVAL printed. */
static int ide_args(const char *fn, unsigned short ideno, uint32_t secno,
                    const void *buf, size_t nsecs)
{
    const char *why = NULL;
    size_t size = ide_device_size(ideno);
    if (!ide_device_valid(ideno)) {
        why = "no such drive";
    } else if (buf == NULL) {
        why = "NULL buffer";
    } else if (nsecs == 0) {
        why = "no sectors to transfer";
    } else if (secno >= size || nsecs > size - secno) {
        why = "past the end of the disk";
    }
    if (why != NULL) {
        cprintf("%s: ide %u, sectors %u + %u (disk: %u): %s\n", fn, ideno,
                secno, nsecs, size, why);
        return -E_INVAL;
    }
    return 0;
}

/* channel_get - wait (through the hook) while another caller's transfer
 * is in flight, then take the channel; 0, or -E_IO when it stays busy. */
static int channel_get(const char *fn, unsigned short ideno, uint32_t secno)
{
    for (int i = 0; channel_busy; i++) {
        if (wait_hook == NULL || i == IDE_TIMEOUT) {
            cprintf("%s: ide %u, sector %u: the channel stays busy\n", fn,
                    ideno, secno);
            return -E_IO;
        }
        wait_hook();
    }
    channel_busy = true;
    return 0;
}

/* ide_transfer - ide_read_secs (into @dst) or ide_write_secs (from @src,
 * @dst NULL) once the arguments are checked: command after command, by
 * DMA where the drive has it unless @pio. */
static int ide_transfer(const char *fn, unsigned short ideno, uint32_t secno,
                        size_t nsecs, char *dst, const char *src, bool pio)
{
    bool dma = ide_devices[ideno].dma && !pio;
    int r = channel_get(fn, ideno, secno);
    if (r != 0) {
        return r; /* the channel is not ours to free */
    }
    while (r == 0 && nsecs > 0) {
        size_t n = MIN(nsecs, dma ? DMA_SECS : MAX_CMD_SEC);
        r = dma ? ide_dma_command(fn, ideno, secno, n, dst, src)
                : ide_command(fn, ideno, secno, n, dst, src);
        secno += n;
        nsecs -= n;
        dst = dst != NULL ? dst + n * SECTSIZE : NULL;
        src = src != NULL ? src + n * SECTSIZE : NULL;
    }
    channel_busy = false;
    return r;
}

/* ide_read / ide_write - ide_read_secs and ide_write_secs, by PIO if
 * @pio. */
static int ide_read(unsigned short ideno, uint32_t secno, void *dst,
                    size_t nsecs, bool pio)
{
    int r = ide_args("ide_read_secs", ideno, secno, dst, nsecs);
    return r != 0 ? r
                  : ide_transfer("ide_read_secs", ideno, secno, nsecs, dst,
                                 NULL, pio);
}

static int ide_write(unsigned short ideno, uint32_t secno, const void *src,
                     size_t nsecs, bool pio)
{
    int r = ide_args("ide_write_secs", ideno, secno, src, nsecs);
    return r != 0 ? r
                  : ide_transfer("ide_write_secs", ideno, secno, nsecs, NULL,
                                 src, pio);
}

int ide_read_secs(unsigned short ideno, uint32_t secno, void *dst, size_t nsecs)
{
    return ide_read(ideno, secno, dst, nsecs, false);
}

int ide_write_secs(unsigned short ideno, uint32_t secno, const void *src,
                   size_t nsecs)
{
    return ide_write(ideno, secno, src, nsecs, false);
}

/* check_pattern - fill @buf (@n words) from @seed, or compare it; the
 * index of the first word that differs, or @n. */
static size_t check_pattern(uint32_t *buf, size_t n, uint32_t seed, bool fill)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t want = (seed + i) * 0x9E3779B1u;
        if (fill) {
            buf[i] = want;
        } else if (buf[i] != want) {
            return i;
        }
    }
    return n;
}

/* The sectors check_ide moves in one call: more than two DRQ blocks of
 * MAX_BLOCK, the last one partial. */
#define CHECK_SECS (2 * MAX_BLOCK + 8)

/* GUARD_WORD - what check_ide leaves after the sectors it reads: a read
 * must not write past them (a whole DRQ block for a partial last one). */
#define GUARD_WORD 0xA5A5A5A5u

bool check_ide(void)
{
    static uint32_t buf[(CHECK_SECS + MAX_BLOCK) * SECTSIZE / 4];
    size_t size = ide_device_size(1);
    if (size == 0) {
        return true;
    }
    size_t nsecs = MIN(size, CHECK_SECS), words = nsecs * SECTSIZE / 4;
    uint32_t secno = size - nsecs;
    /* written by DMA and read by PIO, then the other way round: each path
     * must read what the other wrote (PIO both ways without DMA) */
    for (uint32_t seed = 1; seed <= 2; seed++) {
        bool pio_write = seed == 2;
        check_pattern(buf, words, seed, true);
        int w = ide_write(1, secno, buf, nsecs, pio_write);
        memset(buf, 0, words * 4);
        for (size_t i = words; i < ARRAY_SIZE(buf); i++) {
            buf[i] = GUARD_WORD;
        }
        int r = ide_read(1, secno, buf, nsecs, !pio_write);
        size_t bad = check_pattern(buf, words, seed, false), spilt = 0;
        for (size_t i = words; i < ARRAY_SIZE(buf); i++) {
            spilt += buf[i] != GUARD_WORD;
        }
        if (w != 0 || r != 0 || bad != words || spilt != 0) {
            cprintf("check_ide: sectors %u + %u, pattern %u (written by %s): "
                    "write %d, read %d, %u of %u bytes read back right, %u "
                    "words changed after them\n",
                    secno, nsecs, seed, pio_write ? "PIO" : "DMA", w, r,
                    bad * 4, words * 4, spilt);
            return false;
        }
    }
    cprintf("check_ide() succeeded!\n");
    return true;
}
