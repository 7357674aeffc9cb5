/* page-parallel -- four page-linear processes at once (fork, then exec),
 * 8 MiB of working set together; each must exit 0.  At -m 16M the
 * process pool (about 3.6 MiB) cannot hold them: children are killed
 * "out of memory" and this test fails, while the kernel carries on. */
#include <ulib.h>
#include <test.h>

#define CHILD_CNT 4

int main(void)
{
    int pids[CHILD_CNT];
    test_begin("page-parallel");
    for (int i = 0; i < CHILD_CNT; i++) {
        if ((pids[i] = fork()) == 0) {
            const char *argv[] = {"page-linear", NULL};
            exit(exec(argv));
        }
        CHECK(pids[i] > 0, "start child %d", i);
    }
    bool ok = true;
    for (int i = 0; i < CHILD_CNT; i++) {
        int code = -1;
        msg("wait for child %d", i);
        ok = waitpid(pids[i], &code) == 0 && code == 0 && ok;
    }
    CHECK(ok, "every child exited 0");
    return test_end();
}
