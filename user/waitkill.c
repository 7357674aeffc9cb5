/* waitkill -- kill a parent blocked in waitpid, then its spinning child;
 * the orphans end with initproc. */
#include <stdio.h>
#include <ulib.h>

static int parent, pid1, pid2;

static void yield_a_while(void)
{
    for (int i = 0; i < 6; i++) {
        yield();
    }
}

static void loop(void)
{
    cprintf("child 1.\n");
    for (;;) {
    }
}

static void work(void)
{
    cprintf("child 2.\n");
    yield_a_while();
    if (kill(parent) == 0) {
        cprintf("kill parent ok.\n");
        yield_a_while();
        if (kill(pid1) == 0) {
            cprintf("kill child1 ok.\n");
            exit(0);
        }
    }
    exit(-1);
}

int main(void)
{
    parent = getpid();
    if ((pid1 = fork()) == 0) {
        loop();
    }
    assert(pid1 > 0);
    if ((pid2 = fork()) == 0) {
        work();
    }
    if (pid2 > 0) {
        cprintf("wait child 1.\n");
        waitpid(pid1, NULL);
        panic("waitpid %d returns\n", pid1);
    }
    kill(pid1);
    panic("FAIL: T.T\n");
}
