/*
 * pgfault.c -- what a page fault means.  A not-present access that the
 * region allows is a page coming into existence: a zeroed process-pool
 * frame is mapped with the region's permissions; one just below a stack
 * region that looks like a push grows the stack first (mm_stack.c).  A
 * write the region allows to a present PTE_COW page is copy-on-write
 * (cow_fault, cow.c).  Everything else -- no region, a write to a
 * read-only region, a user access to a kernel region, any other fault on a
 * present page -- is a
 * segmentation fault, reported here
 * and dealt with by the trap handler (fixup of a probe, panic, and later
 * killing the process).
 */
#include <defs.h>
#include <x86.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <pool.h>
#include <kmap.h>
#include <swap.h>
#include <vmm.h>

struct vmm_stats vmm_stats;
static bool fault_log = true;
static bool fault_trace;

bool vmm_fault_log(bool on)
{
    bool was = fault_log;
    fault_log = on;
    return was;
}

void vmm_fault_trace(bool on) { fault_trace = on; }

/* trace - one "swaptrace MM PAGE R|W" line for a not-present fault on a
 * user page (tools/record-trace.sh turns them into a reference string for
 * make bench-replace). */
static void trace(struct mm_struct *mm, uint32_t error_code, uintptr_t addr)
{
    if (fault_trace && mm != NULL && addr < USERTOP && !(error_code & FEC_P)) {
        cprintf("swaptrace %08x %05x %c\n", (uintptr_t)mm, addr >> PGSHIFT,
                (error_code & FEC_W) ? 'w' : 'r');
    }
}

/* segv - count and report a segmentation fault at @addr. */
static int segv(uintptr_t addr, const char *why)
{
    vmm_stats.segv++;
    cprintf("segmentation fault at 0x%08x: %s\n", addr, why);
    return -E_FAULT;
}

const char *vmm_access_denied(const struct vma_struct *vma, uint32_t error_code)
{
    if ((error_code & FEC_U) && !(vma->vm_flags & VM_USER)) {
        return "user access to a kernel region";
    }
    if ((error_code & FEC_W) && !(vma->vm_flags & VM_WRITE)) {
        return "write to a read-only region";
    }
    /* without NX an instruction fetch is a read: VM_EXEC allows reading */
    if (!(error_code & FEC_W) &&
        !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
        return "read of a region without access";
    }
    return NULL;
}

/* protection_reason - why an access faulted on a present page in @vma
 * (NULL: no region, e.g. the kernel half): the user bit first, as the MMU
 * checks it first, then the write bit. */
static const char *protection_reason(const struct vma_struct *vma,
                                     uint32_t error_code)
{
    if ((error_code & FEC_U) && (vma == NULL || !(vma->vm_flags & VM_USER))) {
        return "user access to a kernel page";
    }
    if (error_code & FEC_W) {
        return "write to a read-only page";
    }
    return "access the page's permissions do not allow";
}

/* oom - report that the fault at @addr found no frame (with swap: swap
 * full or a disk error); the process is killed. */
static int oom(uintptr_t addr)
{
    cprintf("out of memory: %s (page fault at 0x%08x)\n", swap_fail_reason(),
            addr);
    return -E_NO_MEM;
}

/* zero_fill - map a new zeroed process-pool frame at @addr's page with
 * @vma's permissions. */
static int zero_fill(struct mm_struct *mm, const struct vma_struct *vma,
                     uintptr_t addr)
{
    struct Page *page = proc_alloc_page();
    if (page == NULL) {
        return oom(addr);
    }
    frame_zero(page);
    uint32_t perm = ((vma->vm_flags & VM_WRITE) ? PTE_W : 0) |
                    ((vma->vm_flags & VM_USER) ? PTE_U : 0);
    if (mm_insert_page(mm, page, ROUNDDOWN(addr, PGSIZE), perm) != 0) {
        return oom(addr);
    }
    vmm_stats.zero_fill++;
    return 0;
}

/* swapped_out - the swap entry @mm's PTE at @addr holds, or 0. */
static swap_entry_t swapped_out(struct mm_struct *mm, uintptr_t addr)
{
    pte_t *ptep = get_pte(mm->pgdir, ROUNDDOWN(addr, PGSIZE), false);
    swap_entry_t e = (ptep != NULL && pte_is_swap(*ptep)) ? *ptep : 0;
    put_pte(ptep);
    return e;
}

/* swap_fault - bring @addr's swapped-out page back (swap_in); a disk
 * error or no frame kills the process. */
static int swap_fault(struct mm_struct *mm, uintptr_t addr)
{
    int err = swap_in(mm->pgdir, addr);
    if (err == -E_SWAP_FAULT) {
        cprintf("page fault at 0x%08x: the page could not be read back from "
                "swap\n",
                addr);
        return err;
    }
    return err == 0 ? 0 : oom(addr);
}

/* is_cow_write - whether the protection fault @error_code at @addr is a
 * write the region @vma allows to a copy-on-write page of @mm. */
static bool is_cow_write(struct mm_struct *mm, const struct vma_struct *vma,
                         uint32_t error_code, uintptr_t addr)
{
    return (error_code & FEC_W) && vma != NULL &&
           vmm_access_denied(vma, error_code) == NULL && cow_pending(mm, addr);
}

/* cow_write - resolve a copy-on-write fault at @addr (cow.c). */
static int cow_write(struct mm_struct *mm, uintptr_t addr)
{
    return cow_fault(mm, addr) == 0 ? 0 : oom(addr);
}

/* grow_stack - the stack region that a not-present access at @addr,
 * in no region, grows into (mm_stack_grow), counted; or NULL with the
 * segmentation fault reported. */
static struct vma_struct *grow_stack(struct mm_struct *mm, uintptr_t addr,
                                     uintptr_t esp)
{
    const char *why;
    struct vma_struct *vma = mm_stack_grow(mm, addr, esp, &why);
    if (vma == NULL) {
        segv(addr, why);
        return NULL;
    }
    vmm_stats.stack_grow++;
    return vma;
}

/* handle - do_pgfault's work, untimed. */
static int handle(struct mm_struct *mm, uint32_t error_code, uintptr_t addr,
                  uintptr_t esp)
{
    trace(mm, error_code, addr);
    if (fault_log) {
        cprintf("page fault at 0x%08x: %c/%c [%s].\n", addr,
                (error_code & FEC_U) ? 'U' : 'K',
                (error_code & FEC_W) ? 'W' : 'R',
                (error_code & FEC_P) ? "protection fault" : "no page found");
    }
    if (mm != NULL && rcr3() != PADDR(mm->pgdir)) {
        panic("do_pgfault: mm %p is not the loaded address space (cr3 %08x)",
              mm, rcr3());
    }
    struct vma_struct *vma = mm != NULL ? find_vma(mm, addr) : NULL;
    if (error_code & FEC_P) {
        vmm_stats.prot_faults++;
        return is_cow_write(mm, vma, error_code, addr)
                   ? cow_write(mm, addr)
                   : segv(addr, protection_reason(vma, error_code));
    }
    if ((error_code & FEC_U) && addr >= USERTOP) {
        return segv(addr, "user access to kernel memory");
    }
    if (mm == NULL) {
        return segv(addr, "no address space is loaded");
    }
    if (vma == NULL && (vma = grow_stack(mm, addr, esp)) == NULL) {
        return -E_FAULT;
    }
    const char *why = vmm_access_denied(vma, error_code);
    if (why != NULL) {
        return segv(addr, why);
    }
    return swapped_out(mm, addr) != 0 ? swap_fault(mm, addr)
                                      : zero_fill(mm, vma, addr);
}

int do_pgfault(struct mm_struct *mm, uint32_t error_code, uintptr_t addr,
               uintptr_t esp)
{
    uint64_t t0 = rdtsc();
    vmm_stats.faults++;
    int ret = handle(mm, error_code, addr, esp);
    vmm_stats.fault_cycles += rdtsc() - t0;
    return ret;
}

void print_faults(void)
{
    cprintf("page faults: %lu (zero-fill %lu, protection %lu, copy-on-write "
            "%lu copied + %lu taken over, stack growth %lu), segmentation "
            "faults %lu; kmap slots in use %d of %d\n",
            vmm_stats.faults, vmm_stats.zero_fill, vmm_stats.prot_faults,
            vmm_stats.cow_copy, vmm_stats.cow_reuse, vmm_stats.stack_grow,
            vmm_stats.segv, kmap_live(), KMAP_SLOTS);
}
