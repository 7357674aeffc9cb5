/* pt-grow-pusha -- esp moved to the bottom of its page, then pusha: 32
 * bytes stored below the stack's lowest page at once, the deepest 32
 * below esp, which the stack rule allows.  The saved registers must be
 * there afterwards (eax, pushed first, holds the old esp). */
#include <defs.h>
#include <test.h>

int main(void)
{
    uintptr_t old_esp, low;
    test_begin("pt-grow-pusha");
    asm volatile("movl %%esp, %%eax\n\t"
                 "andl $0xfffff000, %%esp\n\t"
                 "movl %%esp, %1\n\t"
                 "pushal\n\t"
                 "movl %%eax, %%esp\n\t"
                 "movl %%eax, %0"
                 : "=r"(old_esp), "=r"(low)
                 :
                 : "eax", "memory");
    CHECK(*(volatile uintptr_t *)(low - 4) == old_esp,
          "pusha's first word is the saved esp");
    return test_end();
}
