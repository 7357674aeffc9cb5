/*
 * mon_vm.c -- monitor commands to watch virtual memory at work: list the
 * regions of the loaded address space (`vma`), the fault counters
 * (`faults`), the two frame pools (`pools`); build a small address space
 * with a VMPool (`vmdemo`) and touch addresses in it (`touch`) as a user
 * would: a kernel-only region is refused, and every other access goes
 * through the page-fault path and a probe, so a bad address prints a
 * segmentation fault instead of panicking.
 */
#include <defs.h>
#include <error.h>
#include <stdio.h>
#include <string.h>
#include <pmm.h>
#include <pool.h>
#include <vmm.h>
#include <swap.h>
#include <vmpool.h>
#include <vm_probe.h>
#include <mon_vm.h>

#define DEMO_BASE 0x10000000
#define DEMO_SIZE (1u << 20)

int mon_vma(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_vma();
    if (current_mm != NULL) {
        print_vmpools(current_mm);
    } else {
        cprintf("(`vmdemo` builds and loads one)\n");
    }
    return 0;
}

int mon_faults(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_faults();
    return 0;
}

int mon_vmstat(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_faults();
    print_vmstat();
    return 0;
}

int mon_pools(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_pools();
    return 0;
}

/* mon_vmdemo - an address space with a 1 MiB user VMPool at DEMO_BASE and
 * two regions in it (not touched yet), loaded for the other commands. */
int mon_vmdemo(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    if (current_mm != NULL) {
        cprintf("an address space is already loaded\n");
        return 0;
    }
    struct mm_struct *mm = mm_create();
    if (mm == NULL) {
        cprintf("vmdemo: out of memory\n");
        return 0;
    }
    mm_switch(mm);
    struct vmpool *pool =
        vmpool_create(mm, DEMO_BASE, DEMO_SIZE, VM_READ | VM_WRITE | VM_USER);
    uintptr_t a = pool != NULL ? vmpool_alloc(pool, 4 * PGSIZE) : 0;
    uintptr_t b = a != 0 ? vmpool_alloc(pool, 16 * PGSIZE) : 0;
    if (b == 0) {
        cprintf("vmdemo: could not build the pool and its regions (see the "
                "message above); nothing is loaded\n");
        mm_switch(NULL);
        mm_destroy(mm);
        return 0;
    }
    cprintf("loaded: pool [%08x, %08x), regions at %08x (16 KiB) and %08x "
            "(64 KiB).\ntry: vma, touch 0x%08x w, touch 0x%08x, faults\n",
            DEMO_BASE, DEMO_BASE + DEMO_SIZE, a, b, a, b + 0x10000);
    return 0;
}

static bool is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* parse_addr - @s as a hexadecimal address (0x optional) in *@out; false
 * when @s has a sign, no digit, trailing junk, or more than 32 bits. */
static bool parse_addr(const char *s, uintptr_t *out)
{
    const char *digits = s;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        digits += 2;
    }
    if (!is_hex_digit(*digits)) {
        return false; /* strtol would accept a sign or space here */
    }
    char *end;
    unsigned long v = (unsigned long)strtol(s, &end, 16);
    while (*digits == '0') {
        digits++;
    }
    if (*end != '\0' || end - digits > 8) {
        return false;
    }
    *out = v;
    return true;
}

/* user_access_denied - why the region at @addr refuses a user-mode access
 * (@write or read), or NULL.  The probes run in kernel mode, where a
 * kernel-only region (a pool's metadata) is fair game; `touch` acts for a
 * user and must not be able to change such a region.  An address in no
 * region is left to the probe: the fault path reports it. */
static const char *user_access_denied(uintptr_t addr, bool write)
{
    struct vma_struct *vma =
        current_mm != NULL ? find_vma(current_mm, addr) : NULL;
    return vma != NULL ? vmm_access_denied(vma, FEC_U | (write ? FEC_W : 0))
                       : NULL;
}

/* mon_touch - `touch ADDR [w]`: read (or increment) the word at ADDR, as a
 * user access would. */
int mon_touch(int argc, char **argv, struct trapframe *tf)
{
    (void)tf;
    uintptr_t addr;
    uint32_t v = 0;
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "w") != 0) ||
        !parse_addr(argv[1], &addr) || addr >= KERNBASE) {
        cprintf("usage: touch ADDR [w]  (ADDR hex, below KERNBASE)\n");
        return 0;
    }
    addr = ROUNDDOWN(addr, sizeof(uint32_t));
    const char *why = user_access_denied(addr, argc > 2);
    if (why != NULL) {
        cprintf("segmentation fault at 0x%08x: %s (user access refused by "
                "touch)\n",
                addr, why);
        return 0;
    }
    int r = vm_probe_read(addr, &v);
    if (r == 0 && argc > 2) {
        r = vm_probe_write(addr, ++v);
    }
    if (r == 0) {
        cprintf("%08x: %08x\n", addr, v);
    }
    return 0;
}
