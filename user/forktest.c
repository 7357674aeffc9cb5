/* forktest -- fork many children that exit at once, then reap exactly
 * that many. */
#include <stdio.h>
#include <ulib.h>

#define MAX_CHILD 32

int main(void)
{
    int n;
    for (n = 0; n < MAX_CHILD; n++) {
        int pid = fork();
        if (pid == 0) {
            cprintf("I am child %d\n", n);
            exit(0);
        }
        assert(pid > 0);
    }
    for (; n > 0; n--) {
        if (wait() != 0) {
            panic("wait stopped early\n");
        }
    }
    if (wait() == 0) {
        panic("wait got too many\n");
    }
    cprintf("forktest pass.\n");
    return 0;
}
