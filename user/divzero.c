/* divzero -- a division by zero kills the process. */
#include <stdio.h>
#include <ulib.h>

int zero;

int main(void)
{
    cprintf("value is %d.\n", 1 / zero);
    panic("FAIL: T.T\n");
}
