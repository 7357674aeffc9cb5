/* mon_vm.h -- the monitor's virtual-memory commands. */
#ifndef KERN_DEBUG_MON_VM_H
#define KERN_DEBUG_MON_VM_H

struct trapframe;

int mon_vma(int argc, char **argv, struct trapframe *tf);
int mon_faults(int argc, char **argv, struct trapframe *tf);
int mon_vmstat(int argc, char **argv, struct trapframe *tf);
int mon_pools(int argc, char **argv, struct trapframe *tf);
int mon_vmdemo(int argc, char **argv, struct trapframe *tf);
int mon_touch(int argc, char **argv, struct trapframe *tf);

#endif /* !KERN_DEBUG_MON_VM_H */
