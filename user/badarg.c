/* badarg -- system calls refuse bad arguments: no such child, and an
 * exit-code pointer into the kernel or into read-only user memory (this
 * program's text).  The refusal comes before any waiting: a child that
 * yields for a long time is still alive to be killed after it. */
#include <stdio.h>
#include <ulib.h>

/* refused_at_once - waitpid with an exit-code pointer the kernel must not
 * write returns an error without waiting for the busy child. */
static void refused_at_once(void)
{
    int pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 1000; i++) {
            yield();
        }
        exit(0);
    }
    assert(pid > 0);
    assert(waitpid(pid, (int *)(uintptr_t)refused_at_once) != 0);
    assert(kill(pid) == 0); /* still alive: waitpid did not wait */
    assert(waitpid(pid, NULL) == 0);
}

int main(void)
{
    int pid, exit_code;
    refused_at_once();
    if ((pid = fork()) == 0) {
        cprintf("fork ok.\n");
        for (int i = 0; i < 10; i++) {
            yield();
        }
        exit(0xbeaf);
    }
    assert(pid > 0);
    assert(waitpid(-1, NULL) != 0);
    assert(waitpid(pid, (void *)0xC0000000) != 0);
    assert(waitpid(pid, &exit_code) == 0 && exit_code == 0xbeaf);
    cprintf("badarg pass.\n");
    return 0;
}
