/* pt-write-code -- a write to the program's own code (its first instruction,
 * _start: a read-only page) kills the process. */
#include <ulib.h>
#include <test.h>

extern char _start[]; /* initcode.S: the first instruction, at UTEXT + 0x20 */

int main(void)
{
    test_begin("pt-write-code");
    *(volatile int *)_start = 0;
    fail("should have died");
}
