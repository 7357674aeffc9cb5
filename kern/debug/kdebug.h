/* kdebug.h -- kernel symbols, backtraces and build information. */
#ifndef KERN_DEBUG_KDEBUG_H
#define KERN_DEBUG_KDEBUG_H

#include <defs.h>

/* ksym_lookup - the function containing @addr: its name and the offset of
 * @addr in it; returns false (name "?") when @addr is outside the text. */
bool ksym_lookup(uintptr_t addr, const char **name, uintptr_t *offset);
void print_kerninfo(void);
void print_stackframe(void);

#endif /* !KERN_DEBUG_KDEBUG_H */
