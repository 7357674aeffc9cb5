/*
 * exec.c -- loading a program into a new address space (ucore's
 * load_icode) and do_execve / kernel_execve.  Programs are the ELF images
 * linked into the kernel (userprog.h).  The text and data pages present in
 * the file are copied in at once; bss beyond the file's last page is a
 * region that fills with zeroed frames on first touch; the user stack is
 * one page, carrying argc and argv, that grows down on demand.  The new
 * address space is complete before the old one goes, so a failed exec
 * leaves the process as it was.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <elf.h>
#include <mmu.h>
#include <memlayout.h>
#include <unistd.h>
#include <pmm.h>
#include <kmap.h>
#include <vmm.h>
#include <trap.h>
#include <sched.h>
#include <userprog.h>
#include <proc.h>

void forkrets(struct trapframe *tf) __noreturn;

const struct user_prog *user_prog_find(const char *name)
{
    for (size_t i = 0; i < nr_user_progs; i++) {
        if (strcmp(user_progs[i].name, name) == 0) {
            return &user_progs[i];
        }
    }
    return NULL;
}

/* load_page - map at @la in @mm a zeroed process-pool frame holding the
 * bytes of [@la, @la + PGSIZE) that the segment @ph of @bin has in the
 * file, with @perm. */
static int load_page(struct mm_struct *mm, const struct proghdr *ph,
                     const unsigned char *bin, uintptr_t la, uint32_t perm)
{
    struct Page *page = proc_alloc_page();
    if (page == NULL) {
        return -E_NO_MEM;
    }
    frame_zero(page);
    uintptr_t from = MAX(la, ph->p_va);
    uintptr_t to = MIN(la + PGSIZE, ph->p_va + ph->p_filesz);
    char *k = kmap(page);
    memcpy(k + (from - la), bin + ph->p_offset + (from - ph->p_va), to - from);
    kunmap(k);
    return mm_insert_page(mm, page, la, perm);
}

/* load_segment - the region of segment @ph (its permissions from the ELF
 * flags) and its file pages. */
static int load_segment(struct mm_struct *mm, const struct proghdr *ph,
                        const unsigned char *bin)
{
    uint32_t flags = VM_USER | ((ph->p_flags & ELF_PF_R) ? VM_READ : 0) |
                     ((ph->p_flags & ELF_PF_W) ? VM_WRITE : 0) |
                     ((ph->p_flags & ELF_PF_X) ? VM_EXEC : 0);
    uintptr_t start = ROUNDDOWN(ph->p_va, PGSIZE);
    uintptr_t end = ROUNDUP(ph->p_va + ph->p_memsz, PGSIZE);
    int ret = mm_map(mm, start, end - start, flags);
    uint32_t perm = PTE_U | ((flags & VM_WRITE) ? PTE_W : 0);
    for (uintptr_t la = start; ret == 0 && la < ph->p_va + ph->p_filesz;
         la += PGSIZE) {
        ret = load_page(mm, ph, bin, la, perm);
    }
    return ret;
}

/* segment_ok - whether @ph lies inside the @size-byte image and in the
 * user part below the heap's limit (the mmap pool and the stack lie
 * above). */
static bool segment_ok(const struct proghdr *ph, size_t size)
{
    uintptr_t end = ph->p_va + ph->p_memsz;
    return ph->p_filesz <= ph->p_memsz && ph->p_offset <= size &&
           ph->p_filesz <= size - ph->p_offset && USER_ACCESS(ph->p_va, end) &&
           end <= UHEAPTOP;
}

/* load_icode - the segments of @prog into the empty @mm, and its heap,
 * empty, after the last of them; *@entry gets the entry point.  Returns 0,
 * -E_INVAL_ELF, -E_INVAL or -E_NO_MEM. */
static int load_icode(struct mm_struct *mm, const struct user_prog *prog,
                      uintptr_t *entry)
{
    const unsigned char *bin = prog->start;
    size_t size = prog->end - prog->start;
    const struct elfhdr *elf = (const struct elfhdr *)bin;
    if (size < sizeof(*elf) || elf->e_magic != ELF_MAGIC ||
        elf->e_phoff > size ||
        elf->e_phnum > (size - elf->e_phoff) / sizeof(struct proghdr)) {
        return -E_INVAL_ELF;
    }
    const struct proghdr *ph = (const struct proghdr *)(bin + elf->e_phoff);
    uintptr_t end = UTEXT;
    for (int i = 0; i < elf->e_phnum; i++, ph++) {
        if (ph->p_type != ELF_PROG_LOAD || ph->p_memsz == 0) {
            continue;
        }
        if (!segment_ok(ph, size)) {
            return -E_INVAL_ELF;
        }
        int ret = load_segment(mm, ph, bin);
        if (ret != 0) {
            return ret;
        }
        end = MAX(end, ph->p_va + ph->p_memsz);
    }
    mm_heap_init(mm, end);
    *entry = elf->e_entry;
    return 0;
}

/* setup_ustack - the stack region of @mm, its top page only (it grows down
 * on demand to USTACKSIZE, mm_stack.c), and that page: the argument
 * strings, argv[] (NULL-terminated), argv and argc, which *@esp points at
 * (what initcode.S expects).  -E_INVAL when they do not fit in a page. */
static int setup_ustack(struct mm_struct *mm, int argc, char **argv,
                        uintptr_t *esp)
{
    size_t need = (argc + 3) * sizeof(uintptr_t) + sizeof(uintptr_t);
    for (int i = 0; i < argc; i++) {
        need += strlen(argv[i]) + 1;
    }
    int ret = mm_map(mm, USTACKTOP - PGSIZE, PGSIZE,
                     VM_READ | VM_WRITE | VM_USER | VM_STACK);
    struct Page *page = NULL;
    if (ret != 0 || need > PGSIZE || (page = proc_alloc_page()) == NULL) {
        return ret != 0 ? ret : need > PGSIZE ? -E_INVAL : -E_NO_MEM;
    }
    const uintptr_t base = USTACKTOP - PGSIZE;
    char *k = kmap(page);
    uintptr_t sp = USTACKTOP, uargv[EXEC_MAX_ARG_NUM + 1];
    for (int i = 0; i < argc; i++) {
        sp -= strlen(argv[i]) + 1;
        strcpy(k + (sp - base), argv[i]);
        uargv[i] = sp;
    }
    uargv[argc] = 0;
    sp = ROUNDDOWN(sp, sizeof(uintptr_t)) - (argc + 1) * sizeof(uintptr_t);
    memcpy(k + (sp - base), uargv, (argc + 1) * sizeof(uintptr_t));
    uintptr_t head[2] = {(uintptr_t)argc, sp};
    sp -= sizeof(head);
    memcpy(k + (sp - base), head, sizeof(head));
    kunmap(k);
    *esp = sp;
    return mm_insert_page(mm, page, base, PTE_U | PTE_W);
}

/* user_frame - @tf for the first return to user mode at @eip, @esp. */
static void user_frame(struct trapframe *tf, uintptr_t eip, uintptr_t esp)
{
    memset(tf, 0, sizeof(*tf));
    tf->tf_cs = USER_CS;
    tf->tf_ds = tf->tf_es = tf->tf_fs = tf->tf_gs = tf->tf_ss = USER_DS;
    tf->tf_esp = esp;
    tf->tf_eip = eip;
    tf->tf_eflags = FL_IF;
}

int do_execve(int argc, char **argv, struct trapframe *tf)
{
    const struct user_prog *prog;
    if (argc < 1 || argc > EXEC_MAX_ARG_NUM ||
        (prog = user_prog_find(argv[0])) == NULL) {
        return -E_INVAL;
    }
    struct mm_struct *mm = mm_create(), *old = current->mm;
    if (mm == NULL) {
        return -E_NO_MEM;
    }
    uintptr_t entry = 0, esp = 0;
    int ret = load_icode(mm, prog, &entry);
    if (ret != 0 || (ret = setup_ustack(mm, argc, argv, &esp)) != 0) {
        mm_destroy(mm);
        return ret;
    }
    mm_count_inc(mm);
    current->mm = current->active_mm = mm;
    mm_switch(mm);
    if (old != NULL && mm_count_dec(old) == 0) {
        mm_destroy(old);
    }
    set_proc_name(current, argv[0]);
    user_frame(tf, entry, esp);
    return 0;
}

int kernel_execve(int argc, char **argv)
{
    cprintf("kernel_execve: pid = %d, name = \"%s\".\n", current->pid,
            argc > 0 ? argv[0] : "");
    struct trapframe tf;
    int ret = do_execve(argc, argv, &tf);
    if (ret == 0) {
        forkrets(&tf);
    }
    return ret;
}
