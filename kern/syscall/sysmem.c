/*
 * sysmem.c -- the memory system calls.  brk is ucore's (the heap of
 * mm_heap.c); mmap and munmap hand out anonymous memory through one VMPool
 * per process, placed at [UMMAP_BASE, UMMAP_TOP) (libs/unistd.h) and
 * created by the first mmap, so a process that never maps anything pays
 * nothing (the pool's metadata page is a frame).  Every argument is
 * checked here: a bad one is -E_INVAL, never a kernel message or panic.
 */
#include <defs.h>
#include <error.h>
#include <unistd.h>
#include <pmm.h>
#include <vmm.h>
#include <vmpool.h>
#include <sched.h>
#include <proc.h>
#include <sysmem.h>

#define POOL_FLAGS (VM_READ | VM_WRITE | VM_USER)

/* sys_brk - ucore's brk(&want): the break moves to want, the break
 * afterwards is stored back.  A store it could not write back is refused
 * before anything moves (one the move itself unmaps, in the heap above
 * the new break, is refused after it). */
int sys_brk(uint32_t arg[])
{
    struct mm_struct *mm = current->mm;
    uintptr_t store = arg[0], want;
    if (mm == NULL || !copy_from_user(mm, &want, store, sizeof(want)) ||
        !user_mem_check(mm, store, sizeof(want), true)) {
        return -E_INVAL;
    }
    uintptr_t brk = mm_brk(mm, want);
    return copy_to_user(mm, store, &brk, sizeof(brk)) ? 0 : -E_INVAL;
}

/* process_pool - the current process's VMPool, created on first use;
 * NULL when it cannot be (out of memory, or the range is taken). */
static struct vmpool *process_pool(struct mm_struct *mm)
{
    struct vmpool *pool = vmpool_find(mm, UMMAP_BASE);
    if (pool == NULL) {
        pool = vmpool_create(mm, UMMAP_BASE, UMMAP_SIZE, POOL_FLAGS);
    }
    return pool;
}

int sys_mmap(uint32_t arg[])
{
    struct mm_struct *mm = current->mm;
    uintptr_t store = arg[0], addr;
    size_t len = arg[1];
    if (mm == NULL || !copy_from_user(mm, &addr, store, sizeof(addr)) ||
        addr != 0 || len == 0 ||
        len > UMMAP_SIZE - VMPOOL_META_PAGES * PGSIZE ||
        (arg[2] & ~MMAP_WRITE) != 0 ||
        !user_mem_check(mm, store, sizeof(addr), true)) {
        return -E_INVAL;
    }
    struct vmpool *pool = process_pool(mm);
    if (pool == NULL || (addr = vmpool_alloc(pool, len)) == 0) {
        return -E_NO_MEM;
    }
    if (!copy_to_user(mm, store, &addr, sizeof(addr))) {
        vmpool_release(pool, addr);
        return -E_NO_MEM; /* the store was checked: its page was lost */
    }
    return 0;
}

int sys_munmap(uint32_t arg[])
{
    struct mm_struct *mm = current->mm;
    uintptr_t addr = arg[0];
    size_t len = arg[1];
    struct vmpool *pool = mm != NULL ? vmpool_find(mm, addr) : NULL;
    if (pool == NULL || PGOFF(addr) != 0 || len == 0 ||
        len > UMMAP_TOP - UMMAP_BASE || /* ROUNDUP would wrap to 0 */
        vmpool_region_size(pool, addr) != ROUNDUP(len, PGSIZE)) {
        return -E_INVAL;
    }
    return vmpool_release(pool, addr);
}
