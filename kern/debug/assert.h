/* assert.h -- panic and assert for the kernel (and the host shim). */
#ifndef KERN_DEBUG_ASSERT_H
#define KERN_DEBUG_ASSERT_H

#include <defs.h>

void __noreturn __panic(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define panic(...) __panic(__FILE__, __LINE__, __VA_ARGS__)

/* panic_set_hook - after printing, a panic calls @hook over and over (the
 * monitor registers itself; without a hook a panic halts).  Lets the layers
 * above debug/ take over a panic without debug/ calling up into them. */
void panic_set_hook(void (*hook)(void));

/* assert - panic with the failed expression when @x is false. */
#define assert(x)                                                              \
    do {                                                                       \
        if (!(x)) {                                                            \
            panic("assertion failed: %s", #x);                                 \
        }                                                                      \
    } while (0)

/* static_assert - a compile-time check of @x. */
#define static_assert(x) _Static_assert(x, #x)

#endif /* !KERN_DEBUG_ASSERT_H */
