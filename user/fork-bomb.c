/* fork-bomb -- fork until the kernel says no: -E_NO_FREE_PROC (the
 * process table) or -E_NO_MEM (a pool: kernel stacks, page directories,
 * page tables, the children's pages), never a panic.  The children sleep
 * until killed; the parent then kills and reaps every one (initproc's
 * memory check after it shows that all came back). */
#include <error.h>
#include <stdio.h>
#include <ulib.h>
#include <test.h>

#define MAX_KIDS 5000 /* above MAX_PROCESS (4096) */

static int kids[MAX_KIDS];

int main(void)
{
    int n = 0, ret = 0;
    test_begin("fork-bomb");
    while (n < MAX_KIDS && (ret = fork()) > 0) {
        kids[n++] = ret;
    }
    if (ret == 0) {
        sleep(1000000);
        exit(0);
    }
    CHECK(ret == -E_NO_FREE_PROC || ret == -E_NO_MEM,
          "fork failed cleanly (-E_NO_FREE_PROC or -E_NO_MEM)");
    cprintf("fork-bomb: %d children, then fork returned %d\n", n, ret);
    int reaped = 0;
    for (int i = 0; i < n; i++) {
        reaped += kill(kids[i]) == 0;
    }
    while (wait() == 0) {
    }
    CHECK(reaped == n, "killed and reaped every child");
    return test_end();
}
