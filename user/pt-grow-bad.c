/* pt-grow-bad -- a read 4 KiB below esp, below the stack's lowest page:
 * not a push, so a segmentation fault that kills the process. */
#include <ulib.h>
#include <test.h>

int main(void)
{
    test_begin("pt-grow-bad");
    asm volatile("movl %%esp, %%ecx\n\t"
                 "andl $0xfffff000, %%esp\n\t"
                 "movl -4096(%%esp), %%eax\n\t"
                 "movl %%ecx, %%esp"
                 :
                 :
                 : "eax", "ecx", "memory");
    fail("should have died");
}
