"""mm -- GDB commands for the kernel's memory manager, under one prefix.

    mm free [kernel|process]   free blocks of each frame pool vs nr_free
    mm walk VA [PGDIR]         PDE and PTE of VA decoded, frame, struct Page
    mm pgdir [PGDIR]           print_pgdir's dump, computed from memory
    mm page ADDR|PPN           a struct Page decoded, its pool and state
    mm vma [MM]                regions and VMPools of an address space
    mm ps                      processes: resident/swapped pages, tables
    mm frames [N]              the frame table: mappings, slot, io
    mm swap                    swap slots: out (with sharers), copies, stats

They only read memory -- no call into the kernel, no monitor -- so they
work at any stop: in a panic, with interrupts off, between two
instructions of an allocator (where they report the half-done state as an
ERROR, which is what they are for).  Frames the kernel does not
direct-map (high memory, the process pool's page tables) are read through
the VPT window or a kmap slot when one maps them, otherwise through QEMU's
physical-memory mode of its gdbstub (mem.py says how; `set mm-phys qemu`
uses it for every frame).

One module per concern: mem.py (memory access, struct Page, pools),
free.py (a decoder per pmm_manager), pgdir.py (walk, pgdir), page.py,
vma.py, proc.py (ps), swap.py (frames, swap).  A later concern is a new
module that defines its `mm` subcommand and is imported below.

Loaded by tools/gdbinit (make debug, make gdb) and tools/gdbmm.sh (make
test): `python import sys; sys.path.insert(0, "tools/gdb"); import mm`.
"""
import gdb


class Mm(gdb.Command):
    """Memory-manager helpers: read-only views of frame pools, page tables,
struct Page and address spaces (tools/gdb/mm)."""

    def __init__(self):
        super().__init__("mm", gdb.COMMAND_DATA, gdb.COMPLETE_NONE, True)


Mm()

from . import mem, free, page, pgdir, vma, proc, swap  # noqa: E402,F401  (registers)
