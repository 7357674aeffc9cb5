/* hello -- the smallest program: a line, its pid, success. */
#include <stdio.h>
#include <ulib.h>

int main(void)
{
    cprintf("Hello world!!.\n");
    cprintf("I am process %d.\n", getpid());
    cprintf("hello pass.\n");
    return 0;
}
