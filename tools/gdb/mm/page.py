"""page.py -- `mm page`: one struct Page decoded, with its pool and what
the pool's manager says about it."""
import gdb

from . import mem
from . import free as freemod


def describe(ppn, pa=None):
    """One line: the struct Page of frame @ppn, its flags and pool."""
    pa = pa or mem.PageArray()
    if ppn >= pa.npage:
        return "ppn %05x: beyond the Page array (npage %05x)" % (ppn,
                                                                 pa.npage)
    ref, flags, prop, _, _ = pa.get(ppn)
    pool = mem.pool_of(ppn) if mem.to_int("kernel_pool.mgr") else None
    return ("struct Page %08x (ppn %05x): ref %d, flags %s, property %d; "
            "%s" % (pa.addr(ppn), ppn, ref, mem.flag_names(flags), prop,
                    "%s pool" % pool.name if pool else "in no pool"))


def manager_view(pool, ppn, pa):
    """What @pool's manager state says about frame @ppn."""
    out = freemod.decode(pool, pa)
    blk = freemod.block_of(out, ppn)
    lines = []
    if blk is None:
        lines.append("%s: not in a free block (allocated)" % pool.mgr_name)
    else:
        first, n = blk
        lines.append("%s: free, %s the block [ppn %05x, %05x] of %d pages" %
                     (pool.mgr_name, "head of" if first == ppn else "inside",
                      first, first + n - 1, n))
    lines.extend("ERROR (pool state): %s" % e for e in out.errors)
    return lines


class MmPage(gdb.Command):
    """mm page ADDR|PPN -- a struct Page decoded.

ADDR is the address of an entry of pages[] (a struct Page *), PPN a frame
number (any value below npage).  Prints the frame's physical address,
reference count, flags by name, property, list links, the pool it belongs
to and whether the pool's manager holds it free (and in which block)."""

    def __init__(self):
        super().__init__("mm page", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: mm page ADDR|PPN")
        pa = mem.PageArray()
        v = mem.to_int(arg)
        ppn = v if v < pa.npage else pa.ppn_of(v)
        if ppn is None:
            raise gdb.GdbError("%08x is neither a frame number below npage "
                               "(%05x) nor an entry of pages[] [%08x, %08x)"
                               % (v, pa.npage, pa.base, pa.addr(pa.npage)))
        ref, flags, prop, prev, nxt = pa.get(ppn)
        pool = mem.pool_of(ppn)
        print("struct Page %08x: ppn %05x, pa %08x" % (pa.addr(ppn), ppn,
                                                        ppn << 12))
        print("  ref %d, flags %08x (%s), property %d" %
              (ref, flags, mem.flag_names(flags), prop))
        print("  page_link: prev %08x, next %08x" % (prev, nxt))
        if pool is None:
            print("  pool: none (beyond both pools)")
            return
        print("  pool: %s (ppn [%05x, %05x), %s)" % (pool.name, pool.first,
                                                     pool.end, pool.mgr_name))
        if flags & 1:
            print("  reserved: not managed by any pool")
            return
        for line in manager_view(pool, ppn, pa):
            print("  " + line)


MmPage()
