/*
 * run.c -- initproc's part of ucore's init_main: run a user program, wait
 * for everything, and prove that nothing leaked.  The snapshot is taken
 * after kmalloc_reclaim, so that empty slabs kept by kmalloc's caches do
 * not count as used pages.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <pmm.h>
#include <kmalloc.h>
#include <vmm.h>
#include <swap.h>
#include <trap.h>
#include <userprog.h>
#include <sched.h>
#include <proc.h>
#include <run.h>

/* struct usage - what a program must give back. */
struct usage {
    size_t kernel_free, proc_free, slots_free;
    struct kmalloc_usage km;
    int procs;
};

static struct usage usage_now(void)
{
    kmalloc_reclaim();
    return (struct usage){nr_free_pages(), pool_nr_free(&proc_pool),
                          swap_slots_free(), kmalloc_usage(),
                          nr_process_alive()};
}

/* check_usage - panic unless the usage is back to @u. */
static void check_usage(const struct usage *u)
{
    struct usage now = usage_now();
    if (now.kernel_free != u->kernel_free || now.proc_free != u->proc_free ||
        now.slots_free != u->slots_free || now.km.objects != u->km.objects ||
        now.km.bytes != u->km.bytes || now.procs != u->procs) {
        panic("init check memory failed: kernel pool %lu -> %lu free, "
              "process pool %lu -> %lu free, swap slots %lu -> %lu free, "
              "kmalloc %lu -> %lu objects (%lu -> %lu bytes), processes %d "
              "-> %d",
              (unsigned long)u->kernel_free, (unsigned long)now.kernel_free,
              (unsigned long)u->proc_free, (unsigned long)now.proc_free,
              (unsigned long)u->slots_free, (unsigned long)now.slots_free,
              (unsigned long)u->km.objects, (unsigned long)now.km.objects,
              (unsigned long)u->km.bytes, (unsigned long)now.km.bytes, u->procs,
              now.procs);
    }
}

/* print_swapping - what swap did since @s0 and the faults since @v0,
 * when anything was swapped out. */
static void print_swapping(const struct swap_stats *s0,
                           const struct vmm_stats *v0)
{
    if (swap_stats.swap_outs == s0->swap_outs) {
        return;
    }
    unsigned long faults = vmm_stats.faults - v0->faults;
    uint64_t cycles = vmm_stats.fault_cycles - v0->fault_cycles;
    cprintf("swap: %lu swap-ins, %lu swap-outs (%lu written back, %lu "
            "clean)\n",
            swap_stats.swap_ins - s0->swap_ins,
            swap_stats.swap_outs - s0->swap_outs,
            swap_stats.writebacks - s0->writebacks,
            swap_stats.clean_evicts - s0->clean_evicts);
    cprintf("swap faults: %lu page faults, %lu cycles per fault\n", faults,
            (unsigned long)(cycles / faults));
}

struct run_args {
    int argc;
    char **argv;
};

/* user_main - the kernel thread that becomes the program. */
static int user_main(void *arg)
{
    struct run_args *a = arg;
    return kernel_execve(a->argc, a->argv);
}

int run_program(int argc, char **argv)
{
    if (current == NULL) {
        cprintf("run: there are no processes (proc_init has not run: a "
                "panic at boot, or make VAPA=1)\n");
        return -E_BAD_PROC;
    }
    if (argc < 1 || argc > EXEC_MAX_ARG_NUM ||
        user_prog_find(argv[0]) == NULL) {
        cprintf("run: no program %s; there are:", argc > 0 ? argv[0] : "");
        for (size_t i = 0; i < nr_user_progs; i++) {
            cprintf(" %s", user_progs[i].name);
        }
        cprintf("\n");
        return -E_INVAL;
    }
    struct usage before = usage_now();
    struct swap_stats swap0 = swap_stats;
    struct vmm_stats vmm0 = vmm_stats;
    bool tick_log = trap_tick_log(false), fault_log = vmm_fault_log(false);
    struct run_args args = {argc, argv};
    int pid = kernel_thread(user_main, &args, 0);
    while (pid > 0 && do_wait(0, 0) == 0) {
    }
    vmm_fault_log(fault_log);
    trap_tick_log(tick_log);
    if (pid < 0) {
        cprintf("run: cannot create a process for %s (%d)\n", argv[0], pid);
        return pid;
    }
    cprintf("all user-mode processes have quit.\n");
    print_swapping(&swap0, &vmm0);
    check_usage(&before);
    cprintf("init check memory pass.\n");
    return 0;
}

#define PROGS_LEN 128

/* split - copy the space-separated words of @src into @buf (@size bytes,
 * cutting what does not fit), each NUL-terminated, with @argv (@max
 * entries) pointing at them; returns their count. */
static int split(const char *src, char *buf, size_t size, char **argv, int max)
{
    int argc = 0;
    size_t n = 0;
    while (argc < max && n + 1 < size) {
        while (*src == ' ') {
            src++;
        }
        if (*src == '\0') {
            break;
        }
        argv[argc++] = &buf[n];
        while (*src != '\0' && *src != ' ' && n + 1 < size) {
            buf[n++] = *src++;
        }
        buf[n++] = '\0';
    }
    return argc;
}

/* run_command - run one "NAME ARGS..." of run_programs' list, or every
 * program for "all". */
static void run_command(const char *cmd)
{
    char buf[PROGS_LEN], *argv[EXEC_MAX_ARG_NUM];
    int argc = split(cmd, buf, sizeof(buf), argv, EXEC_MAX_ARG_NUM);
    if (argc == 1 && strcmp(argv[0], "all") == 0) {
        for (size_t i = 0; i < nr_user_progs_all; i++) {
            char *one[] = {(char *)user_progs[i].name};
            run_program(1, one);
        }
    } else if (argc > 0) {
        run_program(argc, argv);
    }
}

void run_programs(const char *progs)
{
    char cmd[PROGS_LEN];
    while (*progs != '\0') {
        size_t n = 0;
        for (; progs[n] != '\0' && progs[n] != ';'; n++) {
            if (n + 1 < sizeof(cmd)) {
                cmd[n] = progs[n];
            }
        }
        cmd[MIN(n, sizeof(cmd) - 1)] = '\0';
        run_command(cmd);
        progs += n + (progs[n] == ';');
    }
}
