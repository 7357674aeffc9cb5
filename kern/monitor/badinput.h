/* badinput.h -- deliberately wrong calls into the memory API, run from the
 * monitor (`badinput <case>`) to show -- and test -- how each is caught. */
#ifndef KERN_DEBUG_BADINPUT_H
#define KERN_DEBUG_BADINPUT_H

struct trapframe;

int mon_badinput(int argc, char **argv, struct trapframe *tf);

#endif /* !KERN_DEBUG_BADINPUT_H */
