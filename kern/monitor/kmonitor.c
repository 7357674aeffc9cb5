/* kmonitor.c -- a line-oriented command interpreter for poking at the
 * running kernel: help, kerninfo, backtrace and the memory commands. */
#include <defs.h>
#include <stdio.h>
#include <string.h>
#include <pmm.h>
#include <trap.h>
#include <kdebug.h>
#include <kmonitor.h>
#include <badinput.h>
#include <mon_vm.h>
#include <proc.h>
#include <run.h>

struct command {
    const char *name;
    const char *desc;
    int (*func)(int argc, char **argv, struct trapframe *tf);
};

static int mon_pgdir(int argc, char **argv, struct trapframe *tf);
static int mon_free(int argc, char **argv, struct trapframe *tf);
static int mon_memmap(int argc, char **argv, struct trapframe *tf);
static int mon_run(int argc, char **argv, struct trapframe *tf);
static int mon_ps(int argc, char **argv, struct trapframe *tf);
static int mon_ticks(int argc, char **argv, struct trapframe *tf);

static const struct command commands[] = {
    {"help", "Display this list of commands.", mon_help},
    {"kerninfo", "Display information about the kernel.", mon_kerninfo},
    {"backtrace", "Print a backtrace of the stack.", mon_backtrace},
    {"pgdir", "Print the page directory and page tables (print_pgdir).",
     mon_pgdir},
    {"free", "List the free blocks and nr_free of both frame pools.", mon_free},
    {"memmap", "Show the e820 map, the Page array and managed RAM.",
     mon_memmap},
    {"pools", "Show the kernel and process frame pools.", mon_pools},
    {"vma", "List the regions and VMPools of the loaded address space.",
     mon_vma},
    {"faults", "Show the page-fault counters.", mon_faults},
    {"vmstat", "Show the page-fault and swap counters and swap slots.",
     mon_vmstat},
    {"vmdemo", "Build and load an address space with a VMPool.", mon_vmdemo},
    {"touch", "touch ADDR [w]: read (or write) a word; faults are logged.",
     mon_touch},
    {"badinput", "Make one wrong memory-API call and watch it caught.",
     mon_badinput},
    {"run", "run NAME [ARGS]: run a user program, wait, check memory.",
     mon_run},
    {"ps", "List the processes.", mon_ps},
    {"ticks", "ticks on|off: the \"100 ticks\" line for ever, or never.",
     mon_ticks},
};

#define MAXARGS    16
#define WHITESPACE " \t\n\r"

/* parse - split @buf in place into at most MAXARGS words; -1 if too many. */
static int parse(char *buf, char **argv)
{
    int argc = 0;
    for (;;) {
        while (*buf != '\0' && strchr(WHITESPACE, *buf) != NULL) {
            *buf++ = '\0';
        }
        if (*buf == '\0') {
            return argc;
        }
        if (argc == MAXARGS - 1) {
            cprintf("Too many arguments (max %d).\n", MAXARGS);
            return -1;
        }
        argv[argc++] = buf;
        while (*buf != '\0' && strchr(WHITESPACE, *buf) == NULL) {
            buf++;
        }
    }
}

static int runcmd(char *buf, struct trapframe *tf)
{
    char *argv[MAXARGS];
    int argc = parse(buf, argv);
    if (argc <= 0) {
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (strcmp(commands[i].name, argv[0]) == 0) {
            return commands[i].func(argc, argv, tf);
        }
    }
    cprintf("Unknown command '%s'\n", argv[0]);
    return 0;
}

/* kmonitor_on_panic - the panic hook: the monitor, with no trap frame. */
static void kmonitor_on_panic(void) { kmonitor(NULL); }

void kmonitor_init(void) { panic_set_hook(kmonitor_on_panic); }

void kmonitor(struct trapframe *tf)
{
    cprintf("Welcome to the kernel debug monitor!!\n");
    cprintf("Type 'help' for a list of commands.\n");
    if (tf != NULL) {
        print_trapframe(tf);
    }
    for (;;) {
        char *buf = readline("K> ");
        if (buf != NULL && runcmd(buf, tf) < 0) {
            break;
        }
    }
}

int mon_help(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        cprintf("%s - %s\n", commands[i].name, commands[i].desc);
    }
    return 0;
}

int mon_kerninfo(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_kerninfo();
    return 0;
}

int mon_backtrace(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_stackframe();
    return 0;
}

/* mon_ticks - the timer line: it stops by itself after the first few
 * (kern/trap/trap.c, TICK_LINES); `ticks on` brings it back for ever,
 * `ticks off` silences it. */
static int mon_ticks(int argc, char **argv, struct trapframe *tf)
{
    (void)tf;
    if (argc != 2 ||
        (strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off") != 0)) {
        cprintf("usage: ticks on|off\n");
        return 0;
    }
    trap_tick_lines(strcmp(argv[1], "on") == 0 ? -1 : 0);
    return 0;
}

static int mon_pgdir(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_pgdir();
    return 0;
}

static int mon_free(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_free_blocks();
    return 0;
}

static int mon_memmap(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_memmap();
    return 0;
}

static int mon_run(int argc, char **argv, struct trapframe *tf)
{
    (void)tf;
    run_program(argc - 1, argv + 1);
    return 0;
}

static int mon_ps(int argc, char **argv, struct trapframe *tf)
{
    (void)argc, (void)argv, (void)tf;
    print_procs();
    return 0;
}
