/*
 * mon_vm.c -- monitor commands to watch virtual memory at work: list the
 * regions of the loaded address space (`vma`), the fault counters
 * (`faults`), the two frame pools (`pools`); build a small address space
 * with a VMPool (`vmdemo`) and touch addresses in it (`touch`), each
 * access going through the page-fault path and a probe, so a bad address
 * prints a segmentation fault instead of panicking.
 */
#include <defs.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <pool.h>
#include <vmm.h>
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

int mon_pools(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_pools();
    return 0;
}

/* mon_vmdemo - an address space with a 1 MiB VMPool at DEMO_BASE and two
 * regions in it (not touched yet), loaded for the other commands. */
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
    uintptr_t a = vmpool_alloc(pool, 4 * PGSIZE);
    uintptr_t b = vmpool_alloc(pool, 16 * PGSIZE);
    cprintf("loaded: pool [%08x, %08x), regions at %08x (16 KiB) and %08x "
            "(64 KiB).\ntry: vma, touch 0x%08x w, touch 0x%08x, faults\n",
            DEMO_BASE, DEMO_BASE + DEMO_SIZE, a, b, a, b + 0x10000);
    return 0;
}

/* parse_addr - a hexadecimal number (0x optional) in *@out; false if @s
 * is not one. */
static bool parse_addr(const char *s, uintptr_t *out)
{
    uintptr_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
    }
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        int d = (*s >= '0' && *s <= '9')   ? *s - '0'
                : (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
                : (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10
                                           : -1;
        if (d < 0) {
            return false;
        }
        v = v * 16 + d;
    }
    *out = v;
    return true;
}

/* mon_touch - `touch ADDR [w]`: read (or increment) the word at ADDR. */
int mon_touch(int argc, char **argv, struct trapframe *tf)
{
    (void)tf;
    uintptr_t addr;
    uint32_t v = 0;
    if (argc < 2 || !parse_addr(argv[1], &addr) || addr >= KERNBASE) {
        cprintf("usage: touch ADDR [w]  (ADDR hex, below KERNBASE)\n");
        return 0;
    }
    addr = ROUNDDOWN(addr, sizeof(uint32_t));
    int r = vm_probe_read(addr, &v);
    if (r == 0 && argc > 2) {
        r = vm_probe_write(addr, ++v);
    }
    if (r == 0) {
        cprintf("%08x: %08x\n", addr, v);
    }
    return 0;
}
