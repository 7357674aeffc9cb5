/* pt-grow-stk-sc -- a system call writes to a stack page no instruction
 * has touched: waitpid stores the child's exit code 32 KiB into a 64 KiB
 * stack object, above esp but below the stack's lowest page.  The
 * kernel's copy-out faults and grows the stack by the same rule, with the
 * esp the system call saved.  The object is reserved in assembly so that
 * no call pushes below it first (which would grow the stack over it). */
#include <defs.h>
#include <unistd.h>
#include <ulib.h>
#include <test.h>

#define MAGIC 0x1234

/* wait_deep - waitpid(@pid) with the exit code stored 32 KiB above an
 * esp lowered by 64 KiB; returns waitpid's result, *@code the stored
 * value. */
static int wait_deep(int pid, int *code)
{
    int ret, got;
    asm volatile("movl %%esp, %%esi\n\t"
                 "subl $65536, %%esp\n\t"
                 "leal 32768(%%esp), %%ecx\n\t"
                 "int %[trap]\n\t"
                 "movl 32768(%%esp), %%ecx\n\t"
                 "movl %%esi, %%esp"
                 : "=a"(ret), "=c"(got), "+d"(pid)
                 : "a"(SYS_wait), [trap] "i"(T_SYSCALL)
                 : "esi", "memory");
    *code = got;
    return ret;
}

int main(void)
{
    test_begin("pt-grow-stk-sc");
    int pid = fork(), code = 0;
    if (pid == 0) {
        exit(MAGIC);
    }
    CHECK(pid > 0, "fork");
    CHECK(wait_deep(pid, &code) == 0, "waitpid into an untouched stack page");
    CHECK(code == MAGIC, "exit code 0x%x read back from it", code);
    return test_end();
}
