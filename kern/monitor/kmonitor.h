/* kmonitor.h -- the interactive kernel monitor (prompt "K> "). */
#ifndef KERN_MONITOR_KMONITOR_H
#define KERN_MONITOR_KMONITOR_H

struct trapframe;

/* kmonitor_init - make a panic end in the monitor (a hook in panic.c). */
void kmonitor_init(void);

/* kmonitor - read and run commands until one returns < 0; @tf is the trap
 * frame that led here, or NULL. */
void kmonitor(struct trapframe *tf);

int mon_help(int argc, char **argv, struct trapframe *tf);
int mon_kerninfo(int argc, char **argv, struct trapframe *tf);
int mon_backtrace(int argc, char **argv, struct trapframe *tf);

#endif /* !KERN_MONITOR_KMONITOR_H */
