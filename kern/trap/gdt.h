/* gdt.h -- segment descriptors and the task state segment (gdt.c). */
#ifndef KERN_TRAP_GDT_H
#define KERN_TRAP_GDT_H

#include <defs.h>

extern char bootstack[], bootstacktop[]; /* entry.S: the boot stack */

/* gdt_init - install the kernel's GDT (flat kernel and user segments) and
 * a TSS whose ring-0 stack is the boot stack; reloads every segment
 * register.  Needs only the KERNBASE mapping of entry.S. */
void gdt_init(void);

/* load_esp0 - make @esp0 the stack a trap from user mode switches to (the
 * top of the running process's kernel stack). */
void load_esp0(uintptr_t esp0);

/* get_esp0 - the stack a trap from user mode switches to now: the frame
 * of the running process's latest entry from user mode ends there. */
uintptr_t get_esp0(void);

#endif /* !KERN_TRAP_GDT_H */
