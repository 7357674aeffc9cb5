/* pt-write-code2 -- a system call asked to write into the program's code
 * (waitpid's exit-code pointer): the kernel answers -E_INVAL; then the
 * process writes there itself, which kills it. */
#include <error.h>
#include <ulib.h>
#include <test.h>

extern char _start[]; /* initcode.S: the first instruction, at UTEXT + 0x20 */

int main(void)
{
    test_begin("pt-write-code2");
    int pid = fork();
    if (pid == 0) {
        exit(0);
    }
    CHECK(pid > 0, "fork");
    CHECK(waitpid(pid, (int *)_start) == -E_INVAL,
          "waitpid storing into code: -E_INVAL");
    CHECK(waitpid(pid, NULL) == 0, "the child is still there to wait for");
    *(volatile int *)_start = 0;
    fail("should have died");
}
