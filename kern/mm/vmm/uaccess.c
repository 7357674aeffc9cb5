/*
 * uaccess.c -- system-call arguments: checking a user buffer against the
 * regions of the address space, and copying it with the fault-tolerant
 * probe (vm_probe.h), so that a page that cannot be brought in (out of
 * memory, or a stack page the stack rule refuses) fails the copy instead
 * of panicking the kernel.
 */
#include <defs.h>
#include <error.h>
#include <memlayout.h>
#include <vmm.h>
#include <vm_probe.h>

bool user_mem_check(struct mm_struct *mm, uintptr_t addr, size_t len,
                    bool write)
{
    uintptr_t a = addr, end = addr + len;
    if (mm == NULL || (len != 0 && !USER_ACCESS(addr, end))) {
        return false;
    }
    while (a < end) {
        const struct vma_struct *vma = find_vma(mm, a);
        if (vma == NULL && mm_stack_reach(mm, a)) {
            vma = vma_set_next(&mm->vmas, a); /* the stack, grown later */
        }
        if (vma == NULL || !(vma->vm_flags & VM_USER) ||
            (write && !(vma->vm_flags & VM_WRITE)) ||
            !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
            return false;
        }
        a = vma->vm_end;
    }
    return true;
}

bool copy_from_user(struct mm_struct *mm, void *dst, uintptr_t src, size_t len)
{
    return user_mem_check(mm, src, len, false) &&
           vm_probe_copy(dst, (const void *)src, len) == 0;
}

bool copy_to_user(struct mm_struct *mm, uintptr_t dst, const void *src,
                  size_t len)
{
    return user_mem_check(mm, dst, len, true) &&
           vm_probe_copy((void *)dst, src, len) == 0;
}

bool copy_string(struct mm_struct *mm, char *dst, uintptr_t src, size_t maxn)
{
    for (size_t i = 0; i < maxn; i++) {
        if (!copy_from_user(mm, &dst[i], src + i, 1)) {
            return false;
        }
        if (dst[i] == '\0') {
            return true;
        }
    }
    return false;
}
