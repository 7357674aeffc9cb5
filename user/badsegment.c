/* badsegment -- loading the TSS selector into ds kills the process. */
#include <stdio.h>
#include <ulib.h>

int main(void)
{
    asm volatile("movw $0x28, %ax; movw %ax, %ds");
    panic("FAIL: T.T\n");
}
