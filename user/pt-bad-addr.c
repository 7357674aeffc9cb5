/* pt-bad-addr -- a write to an address in no region kills the process. */
#include <ulib.h>
#include <test.h>

int main(void)
{
    test_begin("pt-bad-addr");
    *(volatile int *)0x04000000 = 42;
    fail("should have died");
}
