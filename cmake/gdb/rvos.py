# gdb helpers for rvos, written with gdb's Python API; `ninja gdb` loads
# them (cmake/gdbinit.in). Commands:
#
#   rvos-ps                   the process table: pid, parent, state, pages, name
#   rvos-pt [PID]             a process's user page table, one line per leaf:
#                             va, pa, flags (COW: PTE_COW, the RSW bit 8;
#                             SH: PTE_SHARED), the frame's refcount
#                             (default: the process running on this hart)
#   rvos-page ADDR            the struct page of a physical or kernel address
#
# They read kernel memory through gdb only: they work with the machine
# stopped anywhere (a breakpoint, Ctrl-C), on any hart.
import gdb

PTE_V, PTE_R, PTE_W, PTE_X, PTE_U = 1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4
PTE_G, PTE_A, PTE_D, PTE_COW, PTE_SHARED = 1 << 5, 1 << 6, 1 << 7, 1 << 8, 1 << 9
FLAG_NAMES = [(PTE_R, "R"), (PTE_W, "W"), (PTE_X, "X"), (PTE_U, "U"), (PTE_G, "G"), (PTE_A, "A"), (PTE_D, "D"),
              (PTE_COW, "COW"), (PTE_SHARED, "SH")]
PAGE_FLAGS = [(1 << 0, "RESERVED"), (1 << 1, "FREE"), (1 << 2, "PAGETABLE"), (1 << 3, "USER"), (1 << 4, "KERNEL"),
              (1 << 5, "POISON"), (1 << 6, "WRPROTECTED")]
USER_TOP = 1 << 38  # Sv39: user addresses are the lower half of the 39-bit space


def kernbase():
    return 0xFFFFFFC000000000  # KERNBASE (arch/riscv/memlayout.h): the direct map starts here


def read_u64(addr):
    return int(gdb.parse_and_eval(f"*(unsigned long *){addr:#x}"))


def page_of(pa):
    """The struct page of physical address pa, or None if it has none."""
    base = int(gdb.parse_and_eval("page_db_base_pa"))
    n = int(gdb.parse_and_eval("page_db_nframes"))
    i = (pa - base) >> 12
    if pa < base or i >= n:
        return None
    return gdb.parse_and_eval(f"&page_db[{i}]").dereference()


def flags_text(pte):
    return " ".join(name for bit, name in FLAG_NAMES if pte & bit)


def proc_table():
    nproc = int(gdb.parse_and_eval("sizeof(proc_table) / sizeof(proc_table[0])"))
    for i in range(nproc):
        p = gdb.parse_and_eval(f"proc_table[{i}]")
        if int(p["state"]) != 0:  # PROC_UNUSED
            yield p


class RvosPs(gdb.Command):
    """The process table: pid, parent's pid, state, resident user pages, name."""

    def __init__(self):
        super().__init__("rvos-ps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        print(f"{'PID':>5} {'PPID':>5} {'STATE':<16} {'PAGES':>6} NAME")
        for p in proc_table():
            parent = int(p["parent"]["pid"]) if int(p["parent"]) else 0
            as_ = p["as"]
            pages = int(as_["resident"]) if int(as_) else 0
            print(f"{int(p['pid']):>5} {parent:>5} {str(p['state']):<16} {pages:>6} {p['name'].string()}")


class RvosPt(gdb.Command):
    """rvos-pt [PID]: the user page table of process PID (default: the one
    running on the current hart), one line per valid leaf: its virtual
    address, physical address, flags (COW is PTE_COW, SH is PTE_SHARED)
    and the frame's refcount."""

    def __init__(self):
        super().__init__("rvos-pt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        proc = None
        if arg.strip():
            want = int(gdb.parse_and_eval(arg))
            proc = next((p for p in proc_table() if int(p["pid"]) == want), None)
            if proc is None:
                raise gdb.GdbError(f"rvos-pt: no process {want}")
        else:
            cur = gdb.parse_and_eval("((struct cpu *)$tp)->proc")
            if not int(cur):
                raise gdb.GdbError("rvos-pt: no process runs on this hart; name one: rvos-pt PID")
            proc = cur.dereference()
        as_ = proc["as"]
        if not int(as_):
            raise gdb.GdbError("rvos-pt: that process has no address space")
        root = int(as_["root"])
        print(f"pid {int(proc['pid'])} ({proc['name'].string()}): root table {root:#x}")
        kb = kernbase()
        count = 0
        for va, pte in self.leaves(root, 2, 0, kb):
            pa = (pte >> 10) << 12
            pg = page_of(pa)
            ref = f"ref {int(pg['refcount'])}" if pg is not None else "no struct page"
            print(f"  {va:#014x} -> {pa:#012x}  {flags_text(pte):<22} {ref}")
            count += 1
        print(f"{count} pages")

    def leaves(self, table_kva, level, va_base, kb):
        for i in range(512):
            pte = read_u64(table_kva + 8 * i)
            if not pte & PTE_V:
                continue
            va = va_base | (i << (12 + 9 * level))
            if va >= USER_TOP:
                continue
            if pte & (PTE_R | PTE_W | PTE_X):
                yield va, pte
            elif level > 0:
                yield from self.leaves(((pte >> 10) << 12) + kb, level - 1, va, kb)


class RvosPage(gdb.Command):
    """rvos-page ADDR: the struct page of a physical address, or of a
    kernel virtual address (direct map)."""

    def __init__(self):
        super().__init__("rvos-page", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: rvos-page ADDR")
        addr = int(gdb.parse_and_eval(arg)) & 0xFFFFFFFFFFFFFFFF
        kb = kernbase()
        pa = addr - kb if addr >= kb else addr
        pg = page_of(pa & ~0xFFF)
        if pg is None:
            raise gdb.GdbError(f"rvos-page: {pa:#x} is not a frame the page database manages")
        flags = int(pg["flags"])
        names = " ".join(n for bit, n in PAGE_FLAGS if flags & bit) or "-"
        print(f"frame {pa & ~0xFFF:#x}: struct page at {int(pg.address):#x}: refcount {int(pg['refcount'])}, "
              f"flags {flags:#x} ({names}), audit {int(pg['audit'])}, leaves {int(pg['leaves'])}")


RvosPs()
RvosPt()
RvosPage()
print("rvos: gdb helpers loaded: rvos-ps, rvos-pt [PID], rvos-page ADDR")
