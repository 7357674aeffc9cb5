"""mem.py -- reading kernel memory for the mm commands: kernel virtual
addresses, physical frames, struct Page and the frame pools.

A physical frame is read, in this order of preference, through

  1. the direct map (KERNBASE + pa, KERNBASE 0 under make VAPA=1) when
     it is a kernel-pool frame
     (ppn < npage_direct), as the kernel's KADDR would;
  2. the VPT window (VPT + i * 4096) when it is the page table of PDE i of
     the loaded directory, or the directory itself;
  3. a kmap slot (KMAP_BASE + i * 4096) that maps it right now;
  4. QEMU's physical-memory mode of its gdbstub ("maintenance packet
     Qqemu.PhyMemMode:1", QEMU 4.2 and later; checked with
     qqemu.Supported), which switches the stub's memory reads from
     virtual to physical addresses until it is switched back (:0).

The process pool's frames (high memory above 896 MiB, and the low share
that the kernel never reaches through KADDR either) take 2-4.  `set
mm-phys qemu` forces method 4 for every frame (the batch test compares both
ways).  Nothing is written and nothing in the kernel is called.
"""
import struct

import gdb

PGSIZE = 4096
KMEMSIZE = 0x38000000
VPT = 0xFAC00000
KMAP_BASE = 0xFB000000
KMAP_SLOTS = 16
NPDEENTRY = NPTEENTRY = 1024

PTE_P, PTE_W, PTE_U, PTE_PS = 0x001, 0x002, 0x004, 0x080
PTE_USER = PTE_U | PTE_W | PTE_P
# (mask, name) of every bit of a PDE/PTE below the frame address.
PTE_BITS = [(0x001, "P"), (0x002, "W"), (0x004, "U"), (0x008, "PWT"),
            (0x010, "PCD"), (0x020, "A"), (0x040, "D"), (0x080, "PS"),
            (0x100, "G")]
PG_FLAGS = {0: "reserved", 1: "property"}  # memlayout.h PG_*


_kernbase = None


def kernbase():
    """The loaded kernel's KERNBASE: 0xC0000000, or 0 for a make VAPA=1
    kernel.  kern_entry's link address minus its load address (_start,
    entry.S: PHYS(kern_entry)); read once, when a kernel is loaded."""
    global _kernbase
    if _kernbase is None:
        try:
            _kernbase = int(gdb.parse_and_eval(
                "(unsigned)&kern_entry - (unsigned)&_start")) & 0xFFFFFFFF
        except gdb.error:
            raise gdb.GdbError("no kernel loaded (file bin/kernel)")
    return _kernbase


def pdx(va):
    return (va >> 22) & 0x3FF


def ptx(va):
    return (va >> 12) & 0x3FF


def pte_addr(e):
    return e & ~0xFFF


def decode_bits(e):
    """Every bit of a PDE/PTE: 'P=1 W=1 U=0 ... AVL=0'."""
    parts = ["%s=%d" % (name, 1 if e & m else 0) for m, name in PTE_BITS]
    parts.append("AVL=%d" % ((e >> 9) & 7))
    return " ".join(parts)


def value(expr):
    return gdb.parse_and_eval(expr)


def to_int(expr_or_value):
    """An address or number from a GDB expression (or a gdb.Value)."""
    v = expr_or_value
    if isinstance(v, str):
        v = value(v)
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        v = v.cast(gdb.lookup_type("unsigned long"))
    return int(v) & 0xFFFFFFFF


def read(va, size):
    """@size bytes at kernel virtual address @va (the loaded page tables)."""
    return bytes(gdb.selected_inferior().read_memory(va, size))


def u32s(buf):
    return struct.unpack("<%dI" % (len(buf) // 4), buf)


def read_u32(va):
    return u32s(read(va, 4))[0]


class PhysMode(gdb.Parameter):
    """How the mm commands read physical frames: auto (the kernel's own
    mappings where they exist, else QEMU's physical-memory mode) or qemu
    (QEMU's physical-memory mode for every frame)."""

    set_doc = "Set how the mm commands read physical frames."
    show_doc = "Show how the mm commands read physical frames."

    def __init__(self):
        super().__init__("mm-phys", gdb.COMMAND_DATA, gdb.PARAM_ENUM,
                         ["auto", "qemu"])
        self.value = "auto"

    def get_show_string(self, svalue):
        return "mm commands read physical frames: %s" % svalue


_phys_mode = PhysMode()
_qemu_phys = None  # None: not asked yet; else whether the stub has it


def _packet(text):
    return gdb.execute("maintenance packet " + text, to_string=True)


def qemu_phys_supported():
    global _qemu_phys
    if _qemu_phys is None:
        try:
            _qemu_phys = "PhyMemMode" in _packet("qqemu.Supported")
        except gdb.error:
            _qemu_phys = False
    return _qemu_phys


def qemu_phys_read(pa, size):
    """@size bytes at physical address @pa through QEMU's gdbstub."""
    if not qemu_phys_supported():
        raise gdb.GdbError("frame %08x is not mapped by the kernel and this "
                           "QEMU's gdbstub has no PhyMemMode" % pa)
    if "OK" not in _packet("Qqemu.PhyMemMode:1"):
        raise gdb.GdbError("QEMU refused Qqemu.PhyMemMode:1")
    try:
        return read(pa, size)
    finally:
        _packet("Qqemu.PhyMemMode:0")
        gdb.execute("maintenance flush dcache", to_string=True)


def loaded_cr3():
    """The physical address of the loaded page directory (CR3)."""
    try:
        return to_int("$cr3") & ~0xFFF
    except gdb.error:
        return to_int("boot_cr3")  # a stub without control registers


class Mem:
    """Physical reads for one command: caches the loaded directory and the
    kmap slots, and counts how each frame was reached."""

    def __init__(self):
        self.npage_direct = to_int("npage_direct")
        self.cr3 = loaded_cr3()
        self._loaded = None
        self._kmap = None
        self.how = {}

    def direct(self, pa, size=PGSIZE):
        return pa + size <= min(self.npage_direct * PGSIZE, KMEMSIZE)

    def loaded_dir(self):
        if self._loaded is None:
            if self.direct(self.cr3):
                buf = read(kernbase() + self.cr3, PGSIZE)
            else:  # directories are kernel-pool frames; this is a wreck
                buf = qemu_phys_read(self.cr3, PGSIZE)
            self._loaded = u32s(buf)
        return self._loaded

    def kmap_ptes(self):
        if self._kmap is None:
            pt = to_int("kmap_pt")
            self._kmap = u32s(read(pt, KMAP_SLOTS * 4)) if pt else ()
        return self._kmap

    def kernel_va(self, frame):
        """A kernel virtual address that maps @frame now and how, or None."""
        if self.direct(frame):
            return kernbase() + frame, "direct map"
        pd = self.loaded_dir()
        if pd[pdx(VPT)] & PTE_P and pte_addr(pd[pdx(VPT)]) == self.cr3:
            for i, e in enumerate(pd):
                if e & PTE_P and not e & PTE_PS and pte_addr(e) == frame:
                    return VPT + i * PGSIZE, "VPT window"
        for i, e in enumerate(self.kmap_ptes()):
            if e & PTE_P and pte_addr(e) == frame:
                return KMAP_BASE + i * PGSIZE, "kmap slot %d" % i
        return None

    def read_phys(self, pa, size):
        """@size bytes at @pa (within one frame); the method is recorded
        in self.last."""
        frame, off = pte_addr(pa), pa & 0xFFF
        found = None
        if _phys_mode.value == "auto":
            found = self.kernel_va(frame)
        if found is not None:
            self.last = "%s at %08x" % (found[1], found[0] + off)
            data = read(found[0] + off, size)
        else:
            self.last = "QEMU physical-memory mode"
            data = qemu_phys_read(pa, size)
        method = self.last.split(" at ")[0]
        self.how[method] = self.how.get(method, 0) + 1
        return data

    def table(self, frame):
        """The 1024 entries of the page table (or directory) at @frame."""
        return u32s(self.read_phys(frame, PGSIZE))


# ---- struct Page and the pools ---------------------------------------------

class PageArray:
    """pages[], npage and the layout of struct Page, from the kernel's
    DWARF."""

    def __init__(self):
        t = gdb.lookup_type("struct Page")
        self.size = t.sizeof
        self.off = {f.name: f.bitpos // 8 for f in t.fields()}
        self.link_off = self.off["page_link"]
        self.base = to_int("pages")
        self.npage = to_int("npage")

    def addr(self, ppn):
        return self.base + ppn * self.size

    def ppn_of(self, addr):
        """The frame number of struct Page address @addr, or None when it
        is not the start of an entry of pages[]."""
        d = addr - self.base
        if d < 0 or d % self.size or d // self.size >= self.npage:
            return None
        return d // self.size

    def ppn_of_link(self, le):
        """The frame number of the Page whose page_link is at @le."""
        return self.ppn_of(le - self.link_off)

    def get(self, ppn):
        """(ref, flags, property, prev, next) of pages[ppn]."""
        buf = read(self.addr(ppn), self.size)
        o = self.off
        ref = struct.unpack_from("<i", buf, o["ref"])[0]
        flags, prop = struct.unpack_from("<II", buf, o["flags"])
        prev, nxt = struct.unpack_from("<II", buf, self.link_off)
        return ref, flags, prop, prev, nxt


def flag_names(flags):
    names = [PG_FLAGS.get(b, "bit%d" % b) for b in range(32)
             if flags >> b & 1]
    return "|".join(names) if names else "-"


class Pool:
    """One struct frame_pool (kernel_pool or proc_pool)."""

    def __init__(self, sym):
        v = value(sym)
        self.sym = sym
        self.v = v
        self.name = v["name"].string()
        self.mgr = v["mgr"].dereference()
        self.mgr_name = self.mgr["name"].string()
        self.state = to_int(v["state"])
        self.first = int(v["first"])
        self.end = int(v["end"])
        self.nr_managed = int(v["nr_managed"])

    def holds(self, ppn):
        return self.first <= ppn < self.end

    def manager_block(self):
        """A block of the manager's own file (for its file-local types and
        variables): the one of a function its table points to."""
        ops = self.mgr["pool"] if self.state else self.mgr
        for fn in ("nr_free_pages", "alloc_pages", "init"):
            addr = to_int(ops[fn])
            if addr:
                return gdb.block_for_pc(addr)
        raise gdb.GdbError("%s: no function in its table" % self.mgr_name)

    def state_value(self):
        """The pool's struct pmm_state, typed with the manager's own
        definition (each manager defines it in its file)."""
        t = gdb.lookup_type("struct pmm_state", self.manager_block())
        return gdb.Value(self.state).cast(t.pointer()).dereference()


def pools():
    """Both pools; an error before pool_init has created them."""
    if to_int("kernel_pool.mgr") == 0 or to_int("proc_pool.mgr") == 0:
        raise gdb.GdbError("the frame pools do not exist yet (pool_init, "
                           "in pmm_init, has not run)")
    return [Pool("kernel_pool"), Pool("proc_pool")]


def pool_of(ppn, all_pools=None):
    for p in all_pools or pools():
        if p.holds(ppn):
            return p
    return None
