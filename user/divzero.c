/* divzero -- a division by zero kills the process. */
#include <stdio.h>
#include <ulib.h>

volatile int one = 1, zero; /* volatile: one / zero is not folded */

int main(void)
{
    cprintf("value is %d.\n", one / zero);
    panic("FAIL: T.T\n");
}
