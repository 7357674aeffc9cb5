/* shim_vma.h -- the host stand-in for the kernel under kern/mm/vma.c. */
#ifndef TESTS_VMA_SHIM_VMA_H
#define TESTS_VMA_SHIM_VMA_H

#include <defs.h>

/* shim_init - @nframes frames of real memory at KERNBASE; exits on failure. */
void shim_init(size_t nframes);

/* shim_pages_in_use - frames allocated and not freed (leak check). */
size_t shim_pages_in_use(void);

#endif /* !TESTS_VMA_SHIM_VMA_H */
