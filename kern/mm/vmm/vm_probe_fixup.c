/* vm_probe_fixup.c -- the lookup in the probes' fixup table. */
#include <defs.h>
#include <vm_probe.h>

struct vm_fixup {
    uintptr_t insn;
    uintptr_t fixup;
};

extern const struct vm_fixup __vm_fixups[], __vm_fixups_end[];

uintptr_t vm_probe_fixup(uintptr_t eip)
{
    for (const struct vm_fixup *f = __vm_fixups; f < __vm_fixups_end; f++) {
        if (f->insn == eip) {
            return f->fixup;
        }
    }
    return 0;
}
