/*
 * mm_stack.c -- stacks that grow down on demand.  A stack is a region
 * flagged VM_STACK; it starts small (exec maps the one page holding the
 * arguments) and its start moves down when an access just below it looks
 * like a push: at or above esp - STACK_SLACK (pusha writes 32 bytes below
 * esp before moving it) and no lower than USTACKSIZE below the region's
 * end (the maximum stack size) or the end of the region under it.
 *
 * The user stack pointer is data the caller passes in (the trap frame's
 * esp, or for a system call's copy of user memory the esp its frame
 * saved): this layer never asks the process layer for it.  Growing only
 * moves the region's start; the pages come in through the ordinary
 * zero-fill path of do_pgfault.
 */
#include <defs.h>
#include <mmu.h>
#include <memlayout.h>
#include <assert.h>
#include <vmm.h>

#define STACK_SLACK 32 /* pusha stores 32 bytes below esp */

/* stack_above - the stack region directly above @addr (no other region in
 * between), when @addr lies below it; NULL otherwise. */
static struct vma_struct *stack_above(struct mm_struct *mm, uintptr_t addr)
{
    struct vma_struct *v = vma_set_next(&mm->vmas, addr);
    if (v == NULL || !(v->vm_flags & VM_STACK) || addr >= v->vm_start) {
        return NULL;
    }
    return v;
}

/* stack_floor - the lowest address @stack, a region of @mm, may grow to:
 * USTACKSIZE below its end, but not into the region under it. */
static uintptr_t stack_floor(struct mm_struct *mm,
                             const struct vma_struct *stack)
{
    size_t i = stack - mm->vmas.v;
    uintptr_t floor =
        stack->vm_end > USTACKSIZE ? stack->vm_end - USTACKSIZE : 0;
    return i > 0 ? MAX(floor, mm->vmas.v[i - 1].vm_end) : floor;
}

bool mm_stack_reach(struct mm_struct *mm, uintptr_t addr)
{
    const struct vma_struct *stack = stack_above(mm, addr);
    return stack != NULL && addr >= stack_floor(mm, stack);
}

struct vma_struct *mm_stack_grow(struct mm_struct *mm, uintptr_t addr,
                                 uintptr_t esp, const char **why)
{
    struct vma_struct *stack = stack_above(mm, addr);
    bool push = esp != 0 && addr + STACK_SLACK >= esp;
    *why = "no region contains it";
    if (stack == NULL) {
        return NULL;
    }
    if (addr < stack_floor(mm, stack)) {
        if (push) {
            *why = "stack overflow (beyond the maximum stack size)";
        }
        return NULL;
    }
    if (!push) {
        *why = "stack access below the stack pointer";
        return NULL;
    }
    if (vma_set_grow_down(&mm->vmas, stack, ROUNDDOWN(addr, PGSIZE)) != 0) {
        panic("mm_stack_grow: mm %p: stack [%08x, %08x) cannot reach %08x", mm,
              stack->vm_start, stack->vm_end, addr);
    }
    return stack;
}
