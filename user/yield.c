/* yield -- give up the CPU a few times and come back. */
#include <stdio.h>
#include <ulib.h>

int main(void)
{
    cprintf("Hello, I am process %d.\n", getpid());
    for (int i = 0; i < 5; i++) {
        yield();
        cprintf("Back in process %d, iteration %d.\n", getpid(), i);
    }
    cprintf("All done in process %d.\n", getpid());
    cprintf("yield pass.\n");
    return 0;
}
