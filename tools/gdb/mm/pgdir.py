"""pgdir.py -- `mm walk` and `mm pgdir`: the two-level page tables, read
from memory (mem.Mem: the direct map, the VPT window, a kmap slot or QEMU's
physical mode), never through the CPU's translation of the address
walked."""
import gdb

from . import mem
from . import page as pagemod

SWAP_SLOT_SHIFT = 8  # kern/mm/swap/swap.h


def pgdir_arg(text, m):
    """The physical address of the directory named by @text: a kernel
    virtual address (boot_pgdir, mm->pgdir) or a physical one; the loaded
    directory (CR3) when @text is empty."""
    if not text:
        return m.cr3, "loaded (CR3)"
    v, kb = mem.to_int(text), mem.kernbase()
    if v >= kb and v - kb < mem.KMEMSIZE:
        v -= kb
    elif v >= kb and kb:  # VAPA (kb 0): anything else is physical
        raise gdb.GdbError("%08x is not in the direct map" % v)
    if v & 0xFFF:
        raise gdb.GdbError("page directory %08x is not page aligned" % v)
    return v, "pa %08x" % v


def not_present(pte):
    """What a PTE without its present bit holds: nothing (0), or a swap
    entry (kern/mm/swap/swap.h: slot << 8 | U | W)."""
    if pte == 0:
        return "not present (never mapped)"
    slot = pte >> SWAP_SLOT_SHIFT
    extra = pte & 0xF8
    return ("swapped out: slot %d, W=%d U=%d%s" %
            (slot, 1 if pte & mem.PTE_W else 0, 1 if pte & mem.PTE_U else 0,
             "" if slot and not extra else
             " (ERROR: not a swap entry: %s)" %
             ("slot 0" if not slot else "bits %02x set" % extra)))


class MmWalk(gdb.Command):
    """mm walk VA [PGDIR] -- translate VA by hand through a page directory.

Prints the PDE and the PTE with every bit decoded, where each table was
read (direct map, VPT window, kmap slot or QEMU's physical mode), the
frame and its struct Page (reference count, flags, pool); for a PTE
without its present bit, "never mapped" (0) or the swap entry decoded:
"swapped out: slot S, W=w U=u" (`mm swap` lists the slot's sharers).
PGDIR is a
kernel virtual address (boot_pgdir, current_mm->pgdir) or a physical
address; by default the loaded directory (CR3)."""

    def __init__(self):
        super().__init__("mm walk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) not in (1, 2):
            raise gdb.GdbError("usage: mm walk VA [PGDIR]")
        va = mem.to_int(argv[0])
        m = mem.Mem()
        pd_pa, which = pgdir_arg(argv[1] if len(argv) > 1 else "", m)
        print("va %08x: PDX %03x PTX %03x offset %03x; directory pa %08x "
              "(%s)" % (va, mem.pdx(va), mem.ptx(va), va & 0xFFF, pd_pa,
                        which))
        pde = mem.u32s(m.read_phys(pd_pa + mem.pdx(va) * 4, 4))[0]
        print("  PDE[%03x] = %08x  %s  (read through %s)" %
              (mem.pdx(va), pde, mem.decode_bits(pde), m.last))
        if not pde & mem.PTE_P:
            print("  not present: no page table")
            return
        if pde & mem.PTE_PS:
            pa = mem.pte_addr(pde) & ~0x3FFFFF | (va & 0x3FFFFF)
            print("  4 MiB page: pa %08x" % pa)
        else:
            pt = mem.pte_addr(pde)
            pte = mem.u32s(m.read_phys(pt + mem.ptx(va) * 4, 4))[0]
            print("  page table pa %08x%s" %
                  (pt, " (the directory itself: VPT self-map)"
                   if pt == pd_pa else ""))
            print("  PTE[%03x] = %08x  %s  (read through %s)" %
                  (mem.ptx(va), pte, mem.decode_bits(pte), m.last))
            if not pte & mem.PTE_P:
                print("  " + not_present(pte))
                return
            pa = mem.pte_addr(pte) | (va & 0xFFF)
        print("  frame pa %08x, pa %08x" % (mem.pte_addr(pa), pa))
        print("  " + pagemod.describe(mem.pte_addr(pa) >> 12))


def runs(table, start, end):
    """print_pgdir's get_pgtable_items: the runs [l, r) of present entries
    in table[start:end] with equal U/W/P bits, and those bits."""
    i = start
    while True:
        while i < end and not table[i] & mem.PTE_P:
            i += 1
        if i >= end:
            return
        perm, left = table[i] & mem.PTE_USER, i
        while i < end and table[i] & mem.PTE_USER == perm:
            i += 1
        yield left, i, perm


def perm_str(perm):
    return (("u" if perm & mem.PTE_U else "-") + "r" +
            ("w" if perm & mem.PTE_W else "-"))


def pgdir_lines(pd_pa, m):
    """print_pgdir's lines for the directory at @pd_pa.  The kernel reads
    the loaded space through VPT, where the tables of a run of PDEs are one
    array; here each table is read by its frame and the arrays joined.  A
    4 MiB page (the boot map before pmm_init) counts as 1024 PTEs with the
    PDE's bits."""
    pd = m.table(pd_pa)
    lines = ["-------------------- BEGIN --------------------"]
    for left, right, perm in runs(pd, 0, mem.NPDEENTRY):
        lines.append("PDE(%03x) %08x-%08x %08x %s" %
                     (right - left, left * mem.PGSIZE * 1024,
                      right * mem.PGSIZE * 1024,
                      (right - left) * mem.PGSIZE * 1024, perm_str(perm)))
        flat = []
        for i in range(left, right):
            if pd[i] & mem.PTE_PS:  # entry.S's boot map: 4 MiB pages
                flat.extend((pd[i] & ~0x3FFFFF) + j * mem.PGSIZE |
                            (pd[i] & 0xFFF & ~mem.PTE_PS) for j in range(1024))
            else:
                flat.extend(m.table(mem.pte_addr(pd[i])))
        for l, r, p in runs(flat, 0, len(flat)):
            l, r = l + left * 1024, r + left * 1024
            lines.append("  |-- PTE(%05x) %08x-%08x %08x %s" %
                         (r - l, l * mem.PGSIZE, r * mem.PGSIZE,
                          (r - l) * mem.PGSIZE, perm_str(p)))
    lines.append("--------------------- END ---------------------")
    return lines


class MmPgdir(gdb.Command):
    """mm pgdir [PGDIR] -- the print_pgdir dump of a page directory.

One line per run of PDEs with equal U/W/P bits, each followed by its runs
of PTEs, in the kernel's format (kern/mm/pmm/pmm_print.c), computed from
memory.  PGDIR as for `mm walk`; by default the loaded directory (CR3).
The last line says how the tables were read."""

    def __init__(self):
        super().__init__("mm pgdir", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        m = mem.Mem()
        pd_pa, which = pgdir_arg(arg.strip(), m)
        for line in pgdir_lines(pd_pa, m):
            print(line)
        how = ", ".join("%s %d" % kv for kv in sorted(m.how.items()))
        print("(directory pa %08x, %s; tables read: %s)" % (pd_pa, which,
                                                            how))


MmWalk()
MmPgdir()
