"""proc.py -- `mm ps`: the processes (proc_list, kern/process/proc.c) and
what each one's address space holds, counted from its page directory's
user half (read like every table: mem.Mem), not from any kernel
counter."""
import gdb

from . import mem


def list_entries(head):
    """The addresses of the entries of the list whose head is at @head
    (a list_entry_t: prev, next), in list order; an error after 2 *
    MAX_PROCESS entries (a cycle)."""
    out, le = [], mem.read_u32(head + 4)
    while le != head:
        out.append(le)
        if len(out) > 8192:
            raise gdb.GdbError("list %08x: more than 8192 entries (a cycle?)"
                               % head)
        le = mem.read_u32(le + 4)
    return out


class Proc:
    """One struct proc_struct, and the page directory of its mm."""

    def __init__(self, v):
        self.addr = mem.to_int(v.address)
        self.pid = int(v["pid"])
        self.state = str(v["state"]).replace("PROC_", "").lower()
        self.name = v["name"].string()
        self.mm = mem.to_int(v["mm"])
        self.pgdir = 0
        if self.mm:
            self.pgdir = mem.to_int(v["mm"].dereference()["pgdir"])


def procs():
    """Every process: idleproc (not on proc_list), then proc_list's, in
    list order (the newest first); [] before proc_init."""
    t = gdb.lookup_type("struct proc_struct")
    off = {f.name: f.bitpos // 8 for f in t.fields()}["list_link"]
    out = []
    idle = mem.to_int("idleproc")
    if idle:
        out.append(Proc(mem.value("idleproc").dereference()))
    head = mem.to_int("&'proc.c'::proc_list")
    if mem.read_u32(head + 4) == 0:  # not initialised yet
        return out
    for le in list_entries(head):
        if le - off != idle:
            p = gdb.Value(le - off).cast(t.pointer()).dereference()
            out.append(Proc(p))
    return out


def owners(all_procs=None):
    """{pgdir kernel virtual address: [pid, ...]} of the processes with an
    address space."""
    own = {}
    for p in all_procs if all_procs is not None else procs():
        if p.pgdir:
            own.setdefault(p.pgdir, []).append(p.pid)
    return own


def owner_str(pgdir, own):
    pids = own.get(pgdir)
    if pids:
        return "pid %s (pgdir %08x)" % ("/".join(map(str, pids)), pgdir)
    return "pgdir %08x (no process)" % pgdir


class UserHalf:
    """The user half of one page directory: present PTEs, swap entries
    (not present, not 0: kern/mm/swap/swap.h) and page tables."""

    def __init__(self, pgdir_va, m):
        pd = m.table(pgdir_va - mem.kernbase())
        self.resident = self.swapped = self.tables = 0
        self.swap_vas = []  # (va, entry) of every swap entry
        for i in range(mem.pdx(mem.kernbase())):
            if not pd[i] & mem.PTE_P:
                continue
            self.tables += 1
            for j, e in enumerate(m.table(mem.pte_addr(pd[i]))):
                if e & mem.PTE_P:
                    self.resident += 1
                elif e:
                    self.swapped += 1
                    self.swap_vas.append(((i << 22) | (j << 12), e))


class MmPs(gdb.Command):
    """mm ps -- the processes and their address spaces.

One line per process (idleproc, then proc_list, newest first): pid, state,
name, its mm (struct mm_struct *, - for a kernel thread), and from the
user half of the mm's page directory: resident pages (present PTEs),
swapped-out pages (swap entries: not present, not 0), page tables, and the
lowest swapped-out address (`mm walk VA PGDIR` decodes its entry).  A
page shared copy-on-write counts in every process that maps it."""

    def __init__(self):
        super().__init__("mm ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: mm ps")
        all_procs = procs()
        if not all_procs:
            print("no processes yet (proc_init has not run)")
            return
        m = mem.Mem()
        print("  pid state     name             mm        pgdir     "
              "resident swapped tables first-swapped")
        for p in all_procs:
            head = "%5d %-9s %-16s" % (p.pid, p.state, p.name)
            if not p.mm:
                print("%s -" % head)
                continue
            u = UserHalf(p.pgdir, m)
            first = "%08x" % u.swap_vas[0][0] if u.swap_vas else "-"
            print("%s %08x  %08x  %8d %7d %6d %s" %
                  (head, p.mm, p.pgdir, u.resident, u.swapped, u.tables,
                   first))


MmPs()
