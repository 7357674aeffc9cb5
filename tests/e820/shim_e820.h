/* shim_e820.h -- the host stand-in for the kernel under kern/mm/memmap.c
 * and kern/mm/pmm/pool.c (shim_e820.c): memory at KERNBASE for the Page
 * array, cprintf into a buffer, __panic that longjmps back to the test,
 * and interrupt switches that do nothing. */
#ifndef TESTS_E820_SHIM_E820_H
#define TESTS_E820_SHIM_E820_H

#include <defs.h>

/* shim_init - @bytes of zeroed memory at KERNBASE (physical 0 of the
 * host's pretend machine); exits on failure. */
void shim_init(size_t bytes);

/* cprintf output since the last shim_output_clear(), NUL-terminated (the
 * tail is dropped when it is too long). */
extern char shim_output[16384];
void shim_output_clear(void);

#endif /* !TESTS_E820_SHIM_E820_H */
