/*
 * swapfs.c -- slots on the swap disk.  A bitmap in the kernel pool holds
 * one bit per slot (set: taken); slot 0 is taken from the start and never
 * handed out, so a swap entry is never 0.  Pages travel through a
 * kmalloc'd bounce buffer: the disk's wait hook may switch to another
 * process in the middle of a transfer, and a kmap slot held across that
 * switch would pin one of the few window slots for as long as the disk
 * takes.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <kmap.h>
#include <kmalloc.h>
#include <ide.h>
#include <swapfs.h>

size_t max_swap_offset;
static uint32_t *slot_map; /* bit set: slot taken */
static size_t slot_hint;   /* where the next search starts */
static size_t slots_taken;

int swapfs_init(void)
{
    if (!ide_device_valid(SWAP_DEV_NO)) {
        return -E_NO_DEV;
    }
    size_t n = ide_device_size(SWAP_DEV_NO) / PAGE_NSECT;
    if (n < 2) {
        return -E_NO_DEV;
    }
    size_t words = (n + 31) / 32;
    if ((slot_map = kmalloc(words * sizeof(uint32_t))) == NULL) {
        return -E_NO_MEM;
    }
    memset(slot_map, 0, words * sizeof(uint32_t));
    for (size_t s = n; s < words * 32; s++) {
        slot_map[s / 32] |= 1u << (s % 32); /* past the disk's end */
    }
    slot_map[0] |= 1; /* slot 0: a swap entry is never 0 */
    slots_taken = 1;
    slot_hint = 1;
    max_swap_offset = n;
    return 0;
}

size_t slot_alloc(void)
{
    size_t words = (max_swap_offset + 31) / 32;
    for (size_t i = 0; i < words; i++) {
        size_t w = (slot_hint / 32 + i) % words;
        if (slot_map[w] != ~0u) {
            size_t bit = __builtin_ctz(~slot_map[w]);
            slot_map[w] |= 1u << bit;
            slots_taken++;
            slot_hint = w * 32 + bit;
            return w * 32 + bit;
        }
    }
    return 0;
}

void slot_free(size_t slot)
{
    if (slot == 0 || slot >= max_swap_offset ||
        !(slot_map[slot / 32] & (1u << (slot % 32)))) {
        panic("slot_free: slot %lu is %s", (unsigned long)slot,
              slot == 0 || slot >= max_swap_offset ? "not a slot" : "free");
    }
    slot_map[slot / 32] &= ~(1u << (slot % 32));
    slots_taken--;
}

size_t swap_slots_total(void)
{
    return max_swap_offset > 0 ? max_swap_offset - 1 : 0;
}

size_t swap_slots_free(void)
{
    return max_swap_offset > 0 ? max_swap_offset - slots_taken : 0;
}

/* check_entry - the sector @entry's slot starts at; panics on an entry
 * whose slot is not taken (a stale PTE). */
static uint32_t check_entry(const char *fn, swap_entry_t entry)
{
    size_t slot = swap_offset(entry);
    if (slot == 0 || slot >= max_swap_offset ||
        !(slot_map[slot / 32] & (1u << (slot % 32)))) {
        panic("%s: swap entry %08x names slot %lu, which is not taken", fn,
              entry, (unsigned long)slot);
    }
    return slot * PAGE_NSECT;
}

/* io_failed - report a failed transfer of @slot's page. */
static int io_failed(const char *fn, swap_entry_t entry, int err)
{
    size_t slot = swap_offset(entry);
    cprintf("%s: swap disk error %d on slot %lu (sectors %lu-%lu)\n", fn, err,
            (unsigned long)slot, (unsigned long)slot * PAGE_NSECT,
            (unsigned long)slot * PAGE_NSECT + PAGE_NSECT - 1);
    return -E_SWAP_FAULT;
}

int swapfs_read(swap_entry_t entry, struct Page *page)
{
    uint32_t secno = check_entry("swapfs_read", entry);
    char *buf = kmalloc(PGSIZE);
    if (buf == NULL) {
        return -E_NO_MEM;
    }
    int err = ide_read_secs(SWAP_DEV_NO, secno, buf, PAGE_NSECT);
    if (err == 0) {
        char *k = kmap(page);
        memcpy(k, buf, PGSIZE);
        kunmap(k);
    }
    kfree(buf);
    return err == 0 ? 0 : io_failed("swapfs_read", entry, err);
}

int swapfs_write(swap_entry_t entry, struct Page *page)
{
    uint32_t secno = check_entry("swapfs_write", entry);
    char *buf = kmalloc(PGSIZE);
    if (buf == NULL) {
        return -E_NO_MEM;
    }
    char *k = kmap(page);
    memcpy(buf, k, PGSIZE);
    kunmap(k);
    int err = ide_write_secs(SWAP_DEV_NO, secno, buf, PAGE_NSECT);
    kfree(buf);
    return err == 0 ? 0 : io_failed("swapfs_write", entry, err);
}
