/*
 * syscall.c -- the system calls: unpack the registers of the trap frame,
 * copy user arguments in with the checked copies of uaccess.c, call the
 * process layer.  Every handler takes the five argument registers.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <vmstat.h>
#include <swap.h>
#include <clock.h>
#include <pmm.h>
#include <kmalloc.h>
#include <vmm.h>
#include <trap.h>
#include <sched.h>
#include <proc.h>
#include <syscall.h>
#include <sysmem.h>

#define MS_PER_TICK 10 /* the timer runs at 100 Hz */
#define WRITE_CHUNK 256

static int sys_exit(uint32_t arg[]) { do_exit((int)arg[0]); }

static int sys_fork(uint32_t arg[])
{
    (void)arg;
    return do_fork(0, current->tf->tf_esp, current->tf);
}

static int sys_wait(uint32_t arg[]) { return do_wait((int)arg[0], arg[1]); }

/* free_args - kfree the first @argc strings of @argv. */
static void free_args(int argc, char **argv)
{
    while (argc > 0) {
        kfree(argv[--argc]);
    }
}

/* copy_args - the NULL-terminated user array @uargv (at most
 * EXEC_MAX_ARG_NUM strings of EXEC_MAX_ARG_LEN bytes) into kmalloc'd
 * strings in @argv; returns argc, or -E_INVAL / -E_NO_MEM (none kept). */
static int copy_args(uintptr_t uargv, char **argv)
{
    struct mm_struct *mm = current->mm;
    int argc = 0;
    for (;; argc++) {
        uintptr_t p;
        if (!copy_from_user(mm, &p, uargv + argc * sizeof(p), sizeof(p))) {
            break;
        }
        if (p == 0) {
            return argc;
        }
        if (argc == EXEC_MAX_ARG_NUM ||
            (argv[argc] = kmalloc(EXEC_MAX_ARG_LEN + 1)) == NULL) {
            break;
        }
        if (!copy_string(mm, argv[argc], p, EXEC_MAX_ARG_LEN + 1)) {
            argc++;
            break;
        }
    }
    free_args(argc, argv);
    return -E_INVAL;
}

static int sys_exec(uint32_t arg[])
{
    char *argv[EXEC_MAX_ARG_NUM];
    int argc = copy_args(arg[0], argv);
    if (argc < 0) {
        return argc;
    }
    int ret = do_execve(argc, argv, current->tf);
    free_args(argc, argv);
    return ret;
}

static int sys_yield(uint32_t arg[])
{
    (void)arg;
    return do_yield();
}

static int sys_sleep(uint32_t arg[]) { return do_sleep(arg[0]); }

static int sys_kill(uint32_t arg[]) { return do_kill((int)arg[0]); }

static int sys_gettime(uint32_t arg[])
{
    (void)arg;
    return (int)(ticks * MS_PER_TICK);
}

static int sys_getpid(uint32_t arg[])
{
    (void)arg;
    return current->pid;
}

static int sys_putc(uint32_t arg[])
{
    cputchar((int)arg[0]);
    return 0;
}

/* sys_pgdir - print_pgdir, then where the process's frames come from
 * (a line ucore does not print; the grade checks it at -m 3G). */
static int sys_pgdir(uint32_t arg[])
{
    (void)arg;
    struct mm_usage u;
    print_pgdir();
    mm_usage(current->mm, &u);
    size_t frames = u.pages + u.tables, high = u.high;
    if (high == frames) {
        cprintf("pgdir: all %lu user pages and page tables are high memory\n",
                (unsigned long)frames);
    } else {
        cprintf("pgdir: %lu of %lu user pages and page tables are high "
                "memory\n",
                (unsigned long)high, (unsigned long)frames);
    }
    return 0;
}

/* vmstat_fill - the figures of struct vmstat for the current process. */
static void vmstat_fill(struct vmstat *st)
{
    struct mm_usage u = {0, 0, 0, 0, 0};
    if (current->mm != NULL) {
        mm_usage(current->mm, &u);
    }
    *st = (struct vmstat){
        .faults = vmm_stats.faults,
        .zero_fill = vmm_stats.zero_fill,
        .cow_copy = vmm_stats.cow_copy,
        .cow_reuse = vmm_stats.cow_reuse,
        .prot_faults = vmm_stats.prot_faults,
        .segv = vmm_stats.segv,
        .fork_copies = vmm_stats.fork_copies,
        .pages = u.pages,
        .shared = u.shared,
        .tables = u.tables,
        .pool_frames = proc_pool.nr_managed - proc_pool.nr_held,
        .pool_free = pool_nr_free(&proc_pool),
        .swap_ins = swap_stats.swap_ins,
        .swap_outs = swap_stats.swap_outs,
        .writebacks = swap_stats.writebacks,
        .clean_evicts = swap_stats.clean_evicts,
        .slots = swap_slots_total(),
        .slots_free = swap_slots_free(),
        .swapped = u.swapped,
    };
}

/* sys_vmstat - vmstat(buf, size): the first MIN(size, sizeof(struct
 * vmstat)) bytes of the figures into the user buffer; returns how many,
 * or -E_INVAL for a bad buffer (an older or newer caller gets the fields
 * both know). */
static int sys_vmstat(uint32_t arg[])
{
    struct vmstat st;
    size_t n = MIN((size_t)arg[1], sizeof(st));
    vmstat_fill(&st);
    if (!copy_to_user(current->mm, arg[0], &st, n)) {
        return -E_INVAL;
    }
    return (int)n;
}

/* sys_write - write(fd, buf, len) for fd 1 and 2, the console: up to
 * WRITE_CHUNK bytes (the user library's whole line) go out in one piece.
 * Between chunks another process may run: copying the next one can fault
 * a swapped-out page back in, and the disk's wait lets others run. */
static int sys_write(uint32_t arg[])
{
    char buf[WRITE_CHUNK];
    uintptr_t ubuf = arg[1];
    size_t len = arg[2];
    if ((arg[0] != 1 && arg[0] != 2) || (int)len < 0 ||
        !user_mem_check(current->mm, ubuf, len, false)) {
        return -E_INVAL;
    }
    for (size_t done = 0; done < len;) {
        size_t n = MIN(len - done, sizeof(buf));
        if (!copy_from_user(current->mm, buf, ubuf + done, n)) {
            return -E_INVAL;
        }
        for (size_t i = 0; i < n; i++) {
            cputchar(buf[i]);
        }
        done += n;
    }
    return (int)len;
}

static int (*const syscalls[])(uint32_t arg[]) = {
    [SYS_exit] = sys_exit,     [SYS_fork] = sys_fork,
    [SYS_wait] = sys_wait,     [SYS_exec] = sys_exec,
    [SYS_yield] = sys_yield,   [SYS_sleep] = sys_sleep,
    [SYS_kill] = sys_kill,     [SYS_gettime] = sys_gettime,
    [SYS_getpid] = sys_getpid, [SYS_brk] = sys_brk,
    [SYS_mmap] = sys_mmap,     [SYS_munmap] = sys_munmap,
    [SYS_vmstat] = sys_vmstat, [SYS_putc] = sys_putc,
    [SYS_pgdir] = sys_pgdir,   [SYS_write] = sys_write,
};

/* syscall - the T_SYSCALL hook. */
static void syscall(struct trapframe *tf)
{
    uint32_t num = tf->tf_regs.reg_eax;
    if (num < ARRAY_SIZE(syscalls) && syscalls[num] != NULL) {
        uint32_t arg[5] = {tf->tf_regs.reg_edx, tf->tf_regs.reg_ecx,
                           tf->tf_regs.reg_ebx, tf->tf_regs.reg_edi,
                           tf->tf_regs.reg_esi};
        tf->tf_regs.reg_eax = syscalls[num](arg);
        return;
    }
    cprintf("undefined system call %d from pid %d (%s)\n", (int)num,
            current->pid, current->name);
    do_exit(-1);
}

void syscall_init(void) { trap_hook_syscall(syscall); }
