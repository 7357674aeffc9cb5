/* faultreadkernel -- reading kernel memory kills the process. */
#include <stdio.h>
#include <ulib.h>

int main(void)
{
    cprintf("I read %08x from 0xfac00000!\n",
            *(volatile unsigned int *)0xfac00000);
    panic("FAIL: T.T\n");
}
