/*
 * proc.c -- processes, in ucore's shape.  Every process has a descriptor
 * (kmalloc), a kernel stack of KSTACKPAGE kernel-pool pages whose top
 * holds its user trap frame, and, unless it is a kernel thread, an
 * address space.  The descriptors are on proc_list and on a hash of their
 * pids; parents and children are linked through cptr/yptr/optr.
 *
 * Life: do_fork copies the parent (address space, trap frame) and queues
 * the child; do_exit frees the address space at once, leaves the rest as
 * a zombie and wakes the parent; do_wait reaps zombies (kernel stack and
 * descriptor).  Orphans go to initproc, which waits for everything.
 * Switching happens only in schedule (kern/schedule), called when a
 * process blocks or, through the user_return hook, on its way back to
 * user mode; the hooks of the trap path are registered in proc_init.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <assert.h>
#include <x86.h>
#include <mmu.h>
#include <memlayout.h>
#include <pmm.h>
#include <kmalloc.h>
#include <vmm.h>
#include <trap.h>
#include <gdt.h>
#include <sched.h>
#include <proc.h>

#define HASH_SHIFT    10
#define HASH_LIST_LEN (1 << HASH_SHIFT)
#define pid_hashfn(x) ((uint32_t)(x) % HASH_LIST_LEN)

static list_entry_t proc_list;
static list_entry_t hash_list[HASH_LIST_LEN];
static int nr_process;

struct proc_struct *idleproc, *initproc;

void kernel_thread_entry(void);
void forkrets(struct trapframe *tf);

/* alloc_proc - a zeroed descriptor in state PROC_UNINIT, pid -1, or NULL. */
static struct proc_struct *alloc_proc(void)
{
    struct proc_struct *proc = kmalloc(sizeof(*proc));
    if (proc != NULL) {
        memset(proc, 0, sizeof(*proc));
        proc->state = PROC_UNINIT;
        proc->pid = -1;
        list_init(&proc->run_link);
    }
    return proc;
}

void set_proc_name(struct proc_struct *proc, const char *name)
{
    size_t n = MIN(strlen(name), (size_t)PROC_NAME_LEN);
    memcpy(proc->name, name, n);
    proc->name[n] = '\0';
}

struct proc_struct *find_proc(int pid)
{
    if (pid <= 0 || pid >= MAX_PID) {
        return pid == 0 ? idleproc : NULL;
    }
    list_entry_t *head = &hash_list[pid_hashfn(pid)], *le = head;
    while ((le = list_next(le)) != head) {
        struct proc_struct *proc = le2proc(le, hash_link);
        if (proc->pid == pid) {
            return proc;
        }
    }
    return NULL;
}

/* get_pid - the next free pid after the last one handed out, cycling in
 * [1, MAX_PID); nr_process < MAX_PROCESS < MAX_PID guarantees one. */
static int get_pid(void)
{
    static int last_pid = 0;
    do {
        last_pid = last_pid + 1 < MAX_PID ? last_pid + 1 : 1;
    } while (find_proc(last_pid) != NULL);
    return last_pid;
}

/* set_links - enter @proc in the table and as its parent's youngest child. */
static void set_links(struct proc_struct *proc)
{
    list_add(&proc_list, &proc->list_link);
    list_add(&hash_list[pid_hashfn(proc->pid)], &proc->hash_link);
    proc->yptr = NULL;
    if ((proc->optr = proc->parent->cptr) != NULL) {
        proc->optr->yptr = proc;
    }
    proc->parent->cptr = proc;
    nr_process++;
}

/* remove_links - the reverse of set_links. */
static void remove_links(struct proc_struct *proc)
{
    list_del(&proc->list_link);
    list_del(&proc->hash_link);
    if (proc->optr != NULL) {
        proc->optr->yptr = proc->yptr;
    }
    if (proc->yptr != NULL) {
        proc->yptr->optr = proc->optr;
    } else {
        proc->parent->cptr = proc->optr;
    }
    nr_process--;
}

int nr_process_alive(void) { return nr_process; }

/* setup_kstack - KSTACKPAGE kernel-pool pages for @proc's kernel stack. */
static int setup_kstack(struct proc_struct *proc)
{
    struct Page *page = alloc_pages(KSTACKPAGE);
    if (page == NULL) {
        return -E_NO_MEM;
    }
    proc->kstack = (uintptr_t)page2kva(page);
    return 0;
}

static void put_kstack(struct proc_struct *proc)
{
    free_pages(kva2page((void *)proc->kstack), KSTACKPAGE);
}

/* copy_mm - give @proc a copy of the current address space (none for a
 * kernel thread).  Undoes itself on failure. */
static int copy_mm(struct proc_struct *proc)
{
    struct mm_struct *old = current->mm, *mm;
    if (old == NULL) {
        return 0;
    }
    if ((mm = mm_create()) == NULL) {
        return -E_NO_MEM;
    }
    int ret = dup_mmap(mm, old);
    if (ret != 0) {
        mm_destroy(mm);
        return ret;
    }
    mm_count_inc(mm);
    proc->mm = proc->active_mm = mm;
    return 0;
}

/* forkret - where a new process's first switch_to lands: leave through
 * the trap return path with its frame. */
static void forkret(void) { forkrets(current->tf); }

/* copy_thread - @proc's trap frame (a copy of @tf returning 0 in eax, on
 * the user stack @esp when non-zero) at the top of its kernel stack, and
 * a context that starts in forkret. */
static void copy_thread(struct proc_struct *proc, uintptr_t esp,
                        struct trapframe *tf)
{
    proc->tf = (struct trapframe *)(proc->kstack + KSTACKSIZE) - 1;
    *proc->tf = *tf;
    proc->tf->tf_regs.reg_eax = 0;
    if (esp != 0) {
        proc->tf->tf_esp = esp;
    }
    proc->tf->tf_eflags |= FL_IF;
    proc->context.eip = (uintptr_t)forkret;
    proc->context.esp = (uintptr_t)proc->tf;
}

int do_fork(uint32_t clone_flags, uintptr_t stack, struct trapframe *tf)
{
    (void)clone_flags; /* every child gets its own copy of the memory */
    if (nr_process >= MAX_PROCESS) {
        return -E_NO_FREE_PROC;
    }
    struct proc_struct *proc = alloc_proc();
    if (proc == NULL) {
        return -E_NO_MEM;
    }
    int ret = setup_kstack(proc);
    if (ret != 0 || (ret = copy_mm(proc)) != 0) {
        goto fail;
    }
    proc->parent = current;
    set_proc_name(proc, current->name);
    copy_thread(proc, stack, tf);
    proc->pid = get_pid();
    set_links(proc);
    wakeup_proc(proc);
    return proc->pid;

fail:
    if (proc->kstack != 0) {
        put_kstack(proc);
    }
    kfree(proc);
    return ret;
}

int kernel_thread(int (*fn)(void *), void *arg, uint32_t clone_flags)
{
    struct trapframe tf;
    memset(&tf, 0, sizeof(tf));
    tf.tf_cs = KERNEL_CS;
    tf.tf_ds = tf.tf_es = tf.tf_ss = KERNEL_DS;
    tf.tf_fs = tf.tf_gs = USER_DS; /* as gdt_init leaves them */
    tf.tf_regs.reg_ebx = (uintptr_t)fn;
    tf.tf_regs.reg_edx = (uintptr_t)arg;
    tf.tf_regs.reg_esi = (uintptr_t)do_exit;
    tf.tf_eip = (uintptr_t)kernel_thread_entry;
    return do_fork(clone_flags, 0, &tf);
}

/* reparent_children - hand the children of the exiting current process
 * to initproc, waking it when one of them is already a zombie. */
static void reparent_children(void)
{
    struct proc_struct *child;
    while ((child = current->cptr) != NULL) {
        current->cptr = child->optr;
        child->yptr = NULL;
        if ((child->optr = initproc->cptr) != NULL) {
            initproc->cptr->yptr = child;
        }
        child->parent = initproc;
        initproc->cptr = child;
        if (child->state == PROC_ZOMBIE && initproc->wait_state == WT_CHILD) {
            wakeup_proc(initproc);
        }
    }
}

void do_exit(int error_code)
{
    if (current == idleproc || current == initproc) {
        panic("do_exit: %s (pid %d) exits with %d", current->name, current->pid,
              error_code);
    }
    struct mm_struct *mm = current->mm;
    if (mm != NULL) {
        current->mm = current->active_mm = NULL;
        mm_switch(NULL);
        if (mm_count_dec(mm) == 0) {
            mm_destroy(mm);
        }
    }
    current->state = PROC_ZOMBIE;
    current->exit_code = error_code;
    cprintf("%s: exit(%d)\n", current->name, error_code);
    if (current->parent->wait_state == WT_CHILD) {
        wakeup_proc(current->parent);
    }
    reparent_children();
    schedule();
    panic("do_exit: zombie pid %d was scheduled", current->pid);
}

/* find_zombie - a zombie child of the current process (@pid, or any when
 * 0) in *@found; returns whether there is such a child at all. */
static bool find_zombie(int pid, struct proc_struct **found)
{
    *found = NULL;
    if (pid != 0) {
        struct proc_struct *p = find_proc(pid);
        if (p == NULL || p->parent != current) {
            return false;
        }
        *found = p->state == PROC_ZOMBIE ? p : NULL;
        return true;
    }
    for (struct proc_struct *p = current->cptr; p != NULL; p = p->optr) {
        if (p->state == PROC_ZOMBIE) {
            *found = p;
        }
    }
    return current->cptr != NULL;
}

/* reap - free the zombie @proc for good. */
static void reap(struct proc_struct *proc)
{
    remove_links(proc);
    put_kstack(proc);
    kfree(proc);
}

int do_wait(int pid, uintptr_t code_store)
{
    struct mm_struct *mm = current->mm;
    if (code_store != 0 && !user_mem_check(mm, code_store, sizeof(int), true)) {
        return -E_INVAL;
    }
    struct proc_struct *zombie;
    while (find_zombie(pid, &zombie)) {
        if (zombie == NULL && (current->flags & PF_EXITING)) {
            do_exit(-E_KILLED); /* killed while runnable: do not block */
        }
        if (zombie != NULL) {
            /* the exit code first: when it cannot be stored, the zombie
             * stays for a later wait instead of being lost */
            int code = zombie->exit_code;
            if (code_store != 0 &&
                !copy_to_user(mm, code_store, &code, sizeof(code))) {
                return -E_INVAL;
            }
            reap(zombie);
            return 0;
        }
        current->state = PROC_SLEEPING;
        current->wait_state = WT_CHILD;
        schedule();
        if (current->flags & PF_EXITING) {
            do_exit(-E_KILLED);
        }
    }
    return -E_BAD_PROC;
}

int do_kill(int pid)
{
    struct proc_struct *proc = find_proc(pid);
    if (proc == NULL || proc == idleproc || proc == initproc ||
        proc->state == PROC_ZOMBIE) {
        return -E_INVAL;
    }
    if (proc->flags & PF_EXITING) {
        return -E_KILLED;
    }
    proc->flags |= PF_EXITING;
    if (proc->wait_state & WT_INTERRUPTED) {
        wakeup_proc(proc);
    }
    return 0;
}

int do_yield(void)
{
    current->need_resched = true;
    return 0;
}

int do_sleep(size_t n)
{
    if (current->flags & PF_EXITING) {
        return -E_KILLED; /* killed before it slept: nothing would wake it */
    }
    if (n == 0) {
        return 0;
    }
    sched_sleep(n);
    schedule();
    return (current->flags & PF_EXITING) ? -E_KILLED : 0;
}

/* proc_user_fault - the trap path's user_fault hook: a fault the kernel
 * could not resolve (already reported) ends the process with -1. */
static void proc_user_fault(struct trapframe *tf)
{
    (void)tf;
    do_exit(-1);
}

/* proc_user_return - the trap path's user_return hook: a killed process
 * exits, a preempted one lets the next one run. */
static void proc_user_return(struct trapframe *tf)
{
    (void)tf;
    while ((current->flags & PF_EXITING) || current->need_resched) {
        if (current->flags & PF_EXITING) {
            do_exit(-E_KILLED);
        }
        schedule();
    }
}

void proc_init(int (*init_main)(void *), void *arg)
{
    list_init(&proc_list);
    for (int i = 0; i < HASH_LIST_LEN; i++) {
        list_init(&hash_list[i]);
    }
    if ((idleproc = alloc_proc()) == NULL) {
        panic("proc_init: cannot allocate idleproc");
    }
    idleproc->pid = 0;
    idleproc->state = PROC_RUNNABLE;
    idleproc->kstack = (uintptr_t)bootstack;
    set_proc_name(idleproc, "idle");
    sched_init(idleproc);
    trap_hook_user(proc_user_fault, proc_user_return);

    int pid = kernel_thread(init_main, arg, 0);
    if (pid <= 0 || (initproc = find_proc(pid)) == NULL) {
        panic("proc_init: cannot create initproc (%d)", pid);
    }
    set_proc_name(initproc, "init");
    assert(idleproc->pid == 0 && initproc->pid == 1);
}

void cpu_idle(void)
{
    for (;;) {
        cli();
        if (current->need_resched) {
            sti();
            schedule();
        } else {
            asm volatile("sti; hlt"); /* no wakeup lost between the two */
        }
    }
}

/* state_name - a short name of @state for `ps`. */
static const char *state_name(enum proc_state state)
{
    static const char *const names[] = {"uninit", "sleeping", "runnable",
                                        "zombie"};
    return names[state];
}

void print_procs(void)
{
    if (current == NULL) {
        cprintf("no processes: proc_init has not run (a panic at boot, or "
                "make VAPA=1)\n");
        return;
    }
    cprintf("  pid  ppid state     runs name\n");
    for (int pid = 0; pid < MAX_PID; pid++) {
        struct proc_struct *p = find_proc(pid);
        if (p != NULL) {
            cprintf("%5d %5d %-9s %5d %s%s\n", p->pid,
                    p->parent != NULL ? p->parent->pid : -1,
                    state_name(p->state), p->runs, p->name,
                    p == current ? " (current)" : "");
        }
    }
}
