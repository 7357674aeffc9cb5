"""swap.py -- `mm frames` and `mm swap`: the frame table and the reverse
map (kern/mm/swap/frame.c) and the swap slots (swap.c's slot table,
swapfs.c's bitmap), read from memory.  Their file-local variables are read
by name ('frame.c'::frames); every array lives in the kernel pool (the
direct map)."""
import struct

import gdb

from . import mem
from . import proc as procmod


def fields(type_name):
    t = gdb.lookup_type(type_name)
    return t.sizeof, {f.name: f.bitpos // 8 for f in t.fields()}


def rmap_list(head):
    """(pgdir, la) of every node of the reverse-map list at @head."""
    out = []
    size, off = fields("struct rmap")
    while head:
        buf = mem.read(head, size)
        pgdir, la, nxt = (struct.unpack_from("<I", buf, off[k])[0]
                          for k in ("pgdir", "la", "next"))
        out.append((pgdir, la))
        if len(out) > 4096:
            raise gdb.GdbError("rmap list: more than 4096 nodes (a cycle?)")
        head = nxt
    return out


def maps_str(maps, own):
    return ", ".join("%s at %08x" % (procmod.owner_str(pgdir, own), la)
                     for pgdir, la in maps)


class FrameTable:
    """'frame.c'::frames[0 .. nframes): (maps, slot, io, swappable) per
    frame of the process pool, frame i being ppn proc_pool.first + i.
    Entries are read when asked for (entry), or all at once (all)."""

    def __init__(self):
        self.base = mem.to_int("'frame.c'::frames")
        self.n = mem.to_int("'frame.c'::nframes") if self.base else 0
        self.first = mem.to_int("proc_pool.first")
        self.size, self.off = fields("struct frame")

    def ppn(self, i):
        return self.first + i

    def decode(self, buf, o):
        maps, slot = (struct.unpack_from("<I", buf, o + self.off[k])[0]
                      for k in ("maps", "slot"))
        return maps, slot, buf[o + self.off["io"]], \
            buf[o + self.off["swappable"]]

    def entry(self, i):
        return self.decode(mem.read(self.base + i * self.size, self.size), 0)

    def used(self):
        """(index, entry) of every entry that is not all zero (a frame
        no user page holds, not moving, not swappable), in index order;
        read a chunk at a time, and a chunk of zeros skipped whole (at
        -m 3G the table has half a million entries, most of them idle)."""
        chunk = 4096
        for start in range(0, self.n, chunk):
            k = min(chunk, self.n - start)
            buf = mem.read(self.base + start * self.size, k * self.size)
            if buf.count(0) == len(buf):
                continue
            zero = bytes(self.size)
            for j in range(k):
                o = j * self.size
                if buf[o:o + self.size] != zero:
                    yield start + j, self.decode(buf, o)

    def index(self, page_addr, pa):
        """The frame-table index of struct Page address @page_addr."""
        ppn = pa.ppn_of(page_addr)
        if ppn is None or not 0 <= ppn - self.first < self.n:
            return None
        return ppn - self.first


def swap_on():
    return mem.to_int("swap_init_ok") != 0


class MmFrames(gdb.Command):
    """mm frames [N] -- the frame table (kern/mm/swap/frame.c).

One line per process-pool frame that holds a user page (its reverse map
is not empty) or is moving to or from the disk (io): ppn, the struct
Page's ref, its mappings (the page directory, named by the pid whose
mm->pgdir it is, and the address), the swap slot holding a valid copy (0:
none), io and swappable.  N limits the lines printed (default all); the
summary counts every frame: in use by user pages, swappable (checked
against nr_swappable), pinned (io), with a copy in swap."""

    def __init__(self):
        super().__init__("mm frames", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) > 1:
            raise gdb.GdbError("usage: mm frames [N]")
        limit = mem.to_int(argv[0]) if argv else None
        if not swap_on():
            print("swap is off: no frame table")
            return
        ft = FrameTable()
        pa = mem.PageArray()
        own = procmod.owners()
        used = swappable = pinned = copies = shown = 0
        print("frame table %08x: %d frames, ppn [%05x, %05x)" %
              (ft.base, ft.n, ft.first, ft.first + ft.n))
        for i, (maps, slot, io, swp) in ft.used():
            used += maps != 0
            swappable += swp != 0
            pinned += io != 0
            copies += slot != 0
            if not maps and not io:
                if swp:
                    print("  ERROR: ppn %05x: swappable without a mapping"
                          % ft.ppn(i))
                continue
            if limit is not None and shown >= limit:
                continue
            shown += 1
            ref = pa.get(ft.ppn(i))[0]
            rm = rmap_list(maps)
            print("  ppn %05x ref %d: %s; slot %d, io %d, swappable %d" %
                  (ft.ppn(i), ref, maps_str(rm, own) or "no mapping", slot,
                   io, swp))
            if ref < len(rm):
                print("  ERROR: ppn %05x: ref %d below its %d mappings" %
                      (ft.ppn(i), ref, len(rm)))
        nr_swappable = mem.to_int("'swap.c'::nr_swappable")
        print("= %d frames in use by user pages, %d swappable (nr_swappable "
              "%d%s), %d pinned (io), %d with a copy in swap" %
              (used, swappable, nr_swappable,
               "" if nr_swappable == swappable else ": ERROR, differs",
               pinned, copies))


class Slots:
    """swapfs.c's bitmap and swap.c's slot table."""

    def __init__(self):
        self.max = mem.to_int("max_swap_offset")
        words = (self.max + 31) // 32
        bm = mem.u32s(mem.read(mem.to_int("'swapfs.c'::slot_map"),
                               words * 4)) if words else ()
        self.taken = [s for s in range(1, self.max)
                      if bm[s // 32] >> (s % 32) & 1]
        self.slot0 = bool(bm and bm[0] & 1)
        size, off = fields("struct swap_slot")
        base = mem.to_int("'swap.c'::slots")
        buf = mem.read(base, self.max * size) if self.max else b""
        self.table = [(struct.unpack_from("<I", buf, s * size + off["maps"])[0],
                       struct.unpack_from("<I", buf, s * size + off["frame"])[0])
                      for s in range(self.max)]


class MmSwap(gdb.Command):
    """mm swap -- the swap slots and counters.

Whether swap is on; the slots in use, counted from swapfs.c's bitmap
(slot 0, always taken, not counted) and checked against swapfs's own
count; for each slot whose page is out, its sharers (the pid or page
directory, and the address whose PTE holds the slot's swap entry); the
slots that keep a clean copy of a resident frame (kept until the frame is
found dirty) and those moving to or from the disk, counted; then the
counters of struct swap_stats."""

    def __init__(self):
        super().__init__("mm swap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: mm swap")
        if not swap_on():
            print("swap is off")
            return
        sl = Slots()
        taken_var = mem.to_int("'swapfs.c'::slots_taken")
        print("swap is on: %d slots of 4 KiB, %d in use (bitmap; swapfs's "
              "count %d%s)" % (self.total(sl), len(sl.taken), taken_var - 1,
                               "" if taken_var - 1 == len(sl.taken)
                               else ": ERROR, differs"))
        if not sl.slot0:
            print("  ERROR: slot 0 is not marked taken")
        self.slot_lines(sl)
        st = mem.value("swap_stats")
        print("stats: " + ", ".join("%s %d" % (f.name, int(st[f.name]))
                                    for f in st.type.strip_typedefs().fields()))

    @staticmethod
    def total(sl):
        return sl.max - 1 if sl.max else 0

    def slot_lines(self, sl):
        ft = FrameTable()
        pa = mem.PageArray()
        own = procmod.owners()
        out = sharers = clean = moving = bare = 0
        for s in sl.taken:
            maps, frame = sl.table[s]
            if frame:
                i = ft.index(frame, pa)
                if i is None:
                    print("  ERROR: slot %d: frame %08x is not a process-pool "
                          "Page" % (s, frame))
                    continue
                _, fslot, io, _ = ft.entry(i)
                if io:
                    moving += 1
                    print("  slot %d: moving, frame ppn %05x" %
                          (s, ft.ppn(i)))
                elif fslot == s:
                    clean += 1
                else:
                    print("  ERROR: slot %d: frame ppn %05x keeps slot %d" %
                          (s, ft.ppn(i), fslot))
                continue
            if not maps:
                bare += 1
                continue
            rm = rmap_list(maps)
            out += 1
            sharers += len(rm)
            print("  slot %d: out, %d sharer%s: %s" %
                  (s, len(rm), "" if len(rm) == 1 else "s",
                   maps_str(rm, own)))
        taken = set(sl.taken)
        for s, (maps, frame) in enumerate(sl.table):
            if (maps or frame) and s not in taken:
                print("  ERROR: slot %d is free in the bitmap but has %s" %
                      (s, "sharers" if maps else "a frame"))
        print("= %d slots out (%d sharers), %d clean copies of resident "
              "frames, %d moving, %d taken without a page" %
              (out, sharers, clean, moving, bare))


MmFrames()
MmSwap()
