"""free.py -- `mm free`: the free blocks of each frame pool, decoded from
the state of the pool's manager instance, and checked against its nr_free.

One decoder per manager, chosen by the manager's name (pool->mgr->name).
Each reads the instance's struct pmm_state with the type the manager's own
file defines (Pool.state_value), returns the free blocks as (first ppn,
pages) and the problems it found.  A new manager needs a decoder here.
"""
import gdb

from . import mem

DECODERS = {}


def decoder(*names):
    def register(fn):
        for n in names:
            DECODERS[n] = fn
        return fn
    return register


class Free:
    """What a decoder found in one pool."""

    def __init__(self, pool):
        self.pool = pool
        self.blocks = []  # (first ppn, pages), in address order
        self.nr_free = None
        self.errors = []
        self.notes = []

    def error(self, fmt, *args):
        self.errors.append(fmt % args)


def walk_list(head, pa, limit, out):
    """The frames whose page_link is on the list at @head, in list order;
    stops (with an error in @out) at a link outside pages[], a broken prev
    pointer or more than @limit entries."""
    found = []
    prev, le = head, mem.read_u32(head + 4)
    while le != head:
        ppn = pa.ppn_of_link(le)
        if ppn is None:
            out.error("list %08x: link %08x is not in a struct Page", head, le)
            break
        ref, flags, prop, lprev, lnext = pa.get(ppn)
        if lprev != prev:
            out.error("list %08x: ppn %05x: prev %08x, expected %08x",
                      head, ppn, lprev, prev)
        found.append((ppn, flags, prop))
        if len(found) > limit:
            out.error("list %08x: more than %d entries (a cycle?)", head,
                      limit)
            break
        prev, le = le, lnext
    return found


def free_area_of(pool):
    """The address of the pool's free_area_t: the instance's for a manager
    written per pool, the global of the manager's file for one written the
    handout's way (its state is NULL)."""
    if pool.state:
        return mem.to_int(pool.state_value()["area"].address)
    block = pool.manager_block()
    for b in (block.static_block, block.global_block):
        for sym in b:
            if sym.is_variable and str(sym.type) == "free_area_t":
                return mem.to_int(sym.value().address)
    raise gdb.GdbError("%s: no free_area_t variable in its file" %
                       pool.mgr_name)


@decoder("default_pmm_manager", "best_fit_pmm_manager",
         "list_first_fit_manager")
def decode_block_list(pool, pa, out):
    """block_list.h: sorted, coalesced blocks; the head page has
    PG_property and the length in property."""
    area = free_area_of(pool)
    out.nr_free = mem.read_u32(area + 8)  # free_area_t: free_list, nr_free
    last_end = None
    for ppn, flags, prop in walk_list(area, pa, pa.npage, out):
        if not flags & 2 or prop == 0:
            out.error("block at ppn %05x: flags %s, property %d (not a "
                      "block head)", ppn, mem.flag_names(flags), prop)
        if last_end is not None and ppn <= last_end:
            out.error("block at ppn %05x: not above the previous block's "
                      "end %05x (unsorted or not coalesced)", ppn, last_end)
        last_end = ppn + prop
        out.blocks.append((ppn, prop))


def bits(words):
    """The indices of the set bits of a list of 32-bit words."""
    for w, x in enumerate(words):
        while x:
            low = x & -x
            yield w * 32 + low.bit_length() - 1
            x ^= low


@decoder("fast_ff_pmm_manager")
def decode_fast_ff(pool, pa, out):
    """fast_ff_pmm.c: a few blocks in a list sorted by address through the
    head pages' page_link (indexed false; the head bitmap then empty), many
    in a head bitmap over the instance's pages (the list then empty); the
    length of a block is in its head page's property."""
    st = pool.state_value()
    idx = st["idx"]
    base = pa.ppn_of(mem.to_int(idx["base"]))
    nframes, leaves = int(st["nframes"]), int(idx["nr_leaves"])
    indexed = bool(st["indexed"])
    out.nr_free = int(st["nr_free"])
    head = mem.u32s(mem.read(mem.to_int(idx["head"]), leaves * 4))
    wmap = mem.u32s(mem.read(mem.to_int(idx["word_map"]),
                             (leaves + 31) // 32 * 4))
    for w in range(leaves):
        if bool(wmap[w // 32] >> (w % 32) & 1) != (head[w] != 0):
            out.error("word_map bit %d says %d, head word %d is %08x", w,
                      wmap[w // 32] >> (w % 32) & 1, w, head[w])
    listed = walk_list(mem.to_int(st["list"].address), pa, nframes, out)
    if indexed and listed:
        out.error("indexed, but %d blocks are listed", len(listed))
    if not indexed and any(head):
        out.error("listed, but the head bitmap is not empty")
    heads = (bits(head) if indexed else
             (ppn - base for ppn, _, _ in listed))
    end = None
    for p in heads:
        ref, flags, prop, _, _ = pa.get(base + p)
        if prop == 0 or p + prop > nframes:
            out.error("head at page %d (ppn %05x): length %d", p, base + p,
                      prop)
        if end is not None and p <= end:
            out.error("head at ppn %05x overlaps or touches the block "
                      "before it", base + p)
        end = p + prop
        out.blocks.append((base + p, prop))
    if len(out.blocks) != int(st["nr_blocks"]):
        out.error("nr_blocks %d, found %d blocks", int(st["nr_blocks"]),
                  len(out.blocks))
    out.notes.append("%s, %d blocks; low hint %d, root bound %d" %
                     ("indexed" if indexed else "listed", len(out.blocks),
                      int(idx["low"]), mem.read_u32(
                          mem.to_int(idx["bound"]) + 4)))


WORD_ORDER = 5  # buddy_pmm.c: a free_map word covers 2^5 pages
FIRST = (0x55555555, 0x11111111, 0x01010101, 0x00010001, 1)


def word_runs(x):
    """buddy_pmm.c's word_runs(): 1 + the order of the largest aligned run
    of set bits in the word @x, 0 when none is set."""
    v = 1 if x else 0
    for k in range(WORD_ORDER):
        x &= (x >> (1 << k)) & FIRST[k]
        v += 1 if x else 0
    return v


def free_runs(fmap, nframes):
    """The maximal runs of set bits in @fmap as (first, end), whole words
    at a time."""
    start = None
    for w, x in enumerate(fmap):
        if x in (0, 0xFFFFFFFF) and (start is None) == (x == 0):
            continue  # no change of state in this word
        for b in range(32):
            p, free = w * 32 + b, x >> b & 1
            if free and start is None:
                start = p
            elif not free and start is not None:
                yield start, p
                start = None
    if start is not None:
        yield start, min(len(fmap) * 32, nframes)


def buddy_blocks(first, end, max_order):
    """The free blocks of the free run [first, end): at each step the
    largest aligned power of two that starts there and fits."""
    while first < end:
        k = max_order if first == 0 else (first & -first).bit_length() - 1
        k = min(k, (end - first).bit_length() - 1)
        yield first, 1 << k
        first += 1 << k


def check_runsets(st, fmap, max_order, out):
    """Each order's set (runs[k]: its bits, the words of them that are not
    zero in mid, the words of mid that are not zero in top) against what
    free_map says it must hold, and sets_of against word_runs()."""
    nwords = len(fmap)
    runs = [word_runs(x) for x in fmap]
    sets_of = mem.read(mem.to_int(st["sets_of"]), nwords)
    for w in range(nwords):
        if sets_of[w] != runs[w]:
            out.error("sets_of[%d] is %d, free_map word %08x says %d", w,
                      sets_of[w], fmap[w], runs[w])
    whole = [r == WORD_ORDER + 1 for r in runs]
    for k in range(max_order + 1):
        if k < WORD_ORDER or max_order < WORD_ORDER:
            want = [not whole[w] and runs[w] > k for w in range(nwords)]
        else:
            if k > WORD_ORDER:
                whole = [whole[2 * i] and whole[2 * i + 1]
                         for i in range(len(whole) // 2)]
            want = whole
        rs = st["runs"][k]
        nbits = (len(want) + 31) // 32
        got = mem.u32s(mem.read(mem.to_int(rs["bits"]), nbits * 4))
        mid = mem.u32s(mem.read(mem.to_int(rs["mid"]),
                                (nbits + 31) // 32 * 4))
        for i, x in enumerate(want):
            if bool(got[i // 32] >> (i % 32) & 1) != x:
                out.error("runs[%d]: unit %d is %sin the set", k, i,
                          "not " if x else "")
        for j, x in enumerate(got):
            if bool(mid[j // 32] >> (j % 32) & 1) != (x != 0):
                out.error("runs[%d].mid bit %d disagrees with word %08x", k,
                          j, x)
        top = int(rs["top"])
        for m, x in enumerate(mid):
            if bool(top >> m & 1) != (x != 0):
                out.error("runs[%d].top bit %d disagrees with mid word %08x",
                          k, m, x)


def check_caches(st, fmap, cmap, out):
    """The block caches (cache[n - 1]: blocks of n pages) against
    cached_map: each block aligned as alloc aligns n pages, marked there
    and not in free_map, and no other page marked.  Returns the number of
    cached blocks and their pages."""
    want = [0] * len(cmap)
    blocks = pages = 0
    caches = st["cache"]
    lo, hi = caches.type.range()
    for i in range(lo, hi + 1):
        n, c = i + 1, caches[i]
        align = 1 << (n - 1).bit_length()
        for j in range(int(c["count"])):
            p = int(c["first"][j])
            mask = ((1 << n) - 1) << (p % 32)
            if p % align or p % 32 + n > 32 or p // 32 >= len(cmap):
                out.error("cached block of %d pages at page %d is not "
                          "aligned to %d", n, p, align)
                continue
            if want[p // 32] & mask or fmap[p // 32] & mask:
                out.error("cached block of %d pages at page %d overlaps "
                          "another free page", n, p)
            want[p // 32] |= mask
            blocks, pages = blocks + 1, pages + n
    for w, (got, x) in enumerate(zip(cmap, want)):
        if got != x:
            out.error("cached_map word %d is %08x, the caches say %08x", w,
                      got, x)
    return blocks, pages


@decoder("buddy_pmm_manager")
def decode_buddy(pool, pa, out):
    """buddy_pmm.c: free_map has a bit per free page, cached_map one per
    page in a block cache; the free blocks are the maximal aligned runs of
    both together (the blocks once the caches drain); per order a set of
    the words (or blocks) holding a free run of that order, which must
    agree with free_map."""
    st = pool.state_value()
    base = pa.ppn_of(mem.to_int(st["base"]))
    nframes, max_order = int(st["nframes"]), int(st["max_order"])
    out.nr_free = int(st["nr_free"])
    nwords = max((1 << max_order) // 32, 1)
    fmap = mem.u32s(mem.read(mem.to_int(st["free_map"]), nwords * 4))
    cmap = mem.u32s(mem.read(mem.to_int(st["cached_map"]), nwords * 4))
    out.notes.append("%d blocks (%d pages) in the caches" %
                     check_caches(st, fmap, cmap, out))
    both = [f | c for f, c in zip(fmap, cmap)]
    for first, end in free_runs(both, nwords * 32):
        if end > nframes:
            out.error("free_map marks pages [%d, %d) past the instance's %d",
                      max(first, nframes), end, nframes)
        for b, n in buddy_blocks(first, end, max_order):
            out.blocks.append((base + b, n))
    check_runsets(st, fmap, max_order, out)


def decode(pool, pa=None):
    """The free blocks of @pool, checked: a Free."""
    pa = pa or mem.PageArray()
    out = Free(pool)
    fn = DECODERS.get(pool.mgr_name)
    if fn is None and pool.state == 0:
        fn = decode_block_list  # the handout's shape: a global free_area
    if fn is None:
        out.error("no decoder for %s (tools/gdb/mm/free.py)", pool.mgr_name)
        return out
    fn(pool, pa, out)
    for ppn, n in out.blocks:
        if not (pool.holds(ppn) and pool.holds(ppn + n - 1)):
            out.error("block [ppn %05x, %05x] is outside the pool's ppn "
                      "[%05x, %05x)", ppn, ppn + n - 1, pool.first, pool.end)
    total = sum(n for _, n in out.blocks)
    if total != out.nr_free:
        out.error("the blocks add up to %d pages, nr_free is %d", total,
                  out.nr_free)
    return out


def block_of(free, ppn):
    """The free block of @free that holds @ppn, or None."""
    for first, n in free.blocks:
        if first <= ppn < first + n:
            return first, n
    return None


class MmFree(gdb.Command):
    """mm free [kernel|process] -- the free blocks of each frame pool.

Decodes the configured manager's state for each pool (or only the one
named), prints nr_free and one line per free block in address order, as
the monitor's `free` does, and checks the blocks against nr_free and the
manager's own invariants; a mismatch is printed as an ERROR line."""

    def __init__(self):
        super().__init__("mm free", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        want = arg.strip()
        if want not in ("", "kernel", "process"):
            raise gdb.GdbError("usage: mm free [kernel|process]")
        pa = mem.PageArray()
        for pool in mem.pools():
            if want and pool.name != want:
                continue
            out = decode(pool, pa)
            print("%s pool (%s): nr_free = %s" % (pool.name, pool.mgr_name,
                                                  out.nr_free))
            for first, n in out.blocks:
                print("  [ppn %05x, %05x] %u pages" % (first, first + n - 1,
                                                       n))
            for note in out.notes:
                print("  (%s)" % note)
            for e in out.errors:
                print("  ERROR: %s" % e)
            if not out.errors:
                print("  = %d blocks, %d pages: nr_free agrees" %
                      (len(out.blocks), out.nr_free))


MmFree()
