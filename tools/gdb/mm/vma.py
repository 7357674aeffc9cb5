"""vma.py -- `mm vma`: the regions and claims (VMPools) of an address
space (kern/mm/vmm/vmm.h, vmpool.c).  A VMPool's ranges live in its first
page, in the pool's own address space: they are read through that space's
page tables (pgdir.py's walk), so the space need not be loaded."""
import struct

import gdb

from . import mem


def flags_str(f):
    return (("r" if f & 1 else "-") + ("w" if f & 2 else "-") +
            ("x" if f & 4 else "-") + ("u" if f & 8 else "k"))


class Space:
    """Reads one address space through its own page tables."""

    def __init__(self, pgdir_va, m):
        self.m = m
        self.pd_pa = pgdir_va - mem.kernbase()
        self.pd = m.table(self.pd_pa)
        self.tables = {}

    def pte(self, va):
        pde = self.pd[mem.pdx(va)]
        if not pde & mem.PTE_P:
            return 0
        t = mem.pte_addr(pde)
        if t not in self.tables:
            self.tables[t] = self.m.table(t)
        return self.tables[t][mem.ptx(va)]

    def resident(self, start, end):
        return sum(1 for va in range(start, end, mem.PGSIZE)
                   if self.pte(va) & mem.PTE_P)

    def read(self, va, size):
        """@size bytes at user address @va (within one page), or None when
        the page is not present."""
        e = self.pte(va)
        if not e & mem.PTE_P:
            return None
        return self.m.read_phys(mem.pte_addr(e) | (va & 0xFFF), size)

    def nr_tables(self):
        return sum(1 for e in self.pd[:mem.pdx(mem.kernbase())]
                   if e & mem.PTE_P)


def vmpool_type():
    """struct vmpool, file-local to vmpool.c."""
    return gdb.lookup_type("struct vmpool",
                           gdb.block_for_pc(mem.to_int("&vmpool_alloc")))


def show_pool(claim, space):
    t = vmpool_type()
    off = {f.name: f.bitpos // 8 for f in t.fields()}["claim"]
    h = gdb.Value(mem.to_int(claim.address) - off).cast(
        t.pointer()).dereference()
    rt = h["r"].type.target()
    cap = mem.PGSIZE // rt.sizeof
    nreg, nfree = int(h["nr_regions"]), int(h["nr_free"])
    base, end = int(h["claim"]["start"]), int(h["claim"]["end"])
    meta = space.read(mem.to_int(h["r"]), mem.PGSIZE)
    if meta is None:
        print("  pool [%08x, %08x): metadata page not present" % (base, end))
        return
    r = struct.unpack("<%dI" % (2 * cap), meta)
    regions = [(r[2 * i], r[2 * i + 1]) for i in range(nreg)]
    frees = [(r[2 * i], r[2 * i + 1]) for i in range(cap - nfree, cap)]
    longest = max([(e - s) // mem.PGSIZE for s, e in frees] or [0])
    print("  pool [%08x, %08x): %d regions, %d free ranges (longest %d "
          "pages), metadata %d of %d entries" % (base, end, nreg, nfree,
                                                 longest, nreg + nfree, cap))
    magic = int(h["magic"])
    print("    handle %08x: magic %08x%s, flags %s, mm %08x" %
          (mem.to_int(h.address), magic,
           "" if magic == 0x564D506C else " (BAD)",
           flags_str(int(h["flags"])), mem.to_int(h["mm"])))
    for s, e in regions:
        print("    region [%08x, %08x) %d pages, %d present" %
              (s, e, (e - s) // mem.PGSIZE, space.resident(s, e)))
    for s, e in frees:
        print("    free   [%08x, %08x) %d pages" % (s, e,
                                                    (e - s) // mem.PGSIZE))


class MmVma(gdb.Command):
    """mm vma [MM] -- the regions and VMPools of an address space.

MM is a struct mm_struct * (default: current_mm, the loaded one).  Prints
the lines of the monitor's `vma` (regions with their flags and present
pages) and, for each VMPool, its handle and the allocated regions and free
ranges from its metadata page."""

    def __init__(self):
        super().__init__("mm vma", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        mm = mem.value(arg.strip() or "current_mm")
        if mem.to_int(mm) == 0:
            print("no address space is loaded (boot_pgdir)")
            return
        mm = mm.cast(gdb.lookup_type("struct mm_struct").pointer())
        mm = mm.dereference()
        m = mem.Mem()
        space = Space(mem.to_int(mm["pgdir"]), m)
        vmas = mm["vmas"]
        n = int(vmas["n"])
        print("mm 0x%08x: pgdir pa %08x, %d regions, %d page tables" %
              (mem.to_int(mm.address), space.pd_pa, n, space.nr_tables()))
        for i in range(n):
            v = vmas["v"][i]
            s, e = int(v["vm_start"]), int(v["vm_end"])
            print("  [%08x, %08x) %s %6d pages, %d present" %
                  (s, e, flags_str(int(v["vm_flags"])), (e - s) // 4096,
                   space.resident(s, e)))
        c = mm["claims"]
        while mem.to_int(c):
            claim = c.dereference()
            kind = claim["ops"]["kind"].string()
            if kind == "VMPool":
                show_pool(claim, space)
            else:
                print("  claim [%08x, %08x) %s" % (int(claim["start"]),
                                                   int(claim["end"]), kind))
            c = claim["next"]


MmVma()
