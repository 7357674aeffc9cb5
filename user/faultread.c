/* faultread -- reading address 0 (no region) kills the process. */
#include <stdio.h>
#include <ulib.h>

int main(void)
{
    cprintf("I read %8x from 0.\n", *(volatile unsigned int *)0);
    panic("FAIL: T.T\n");
}
