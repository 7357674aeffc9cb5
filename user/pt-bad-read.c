/* pt-bad-read -- bad pointers given to a system call that reads user
 * memory (write): the kernel answers -E_INVAL and does not kill (badarg's
 * rule): for a pointer in no region at once, for one in the stack's
 * reach but 64 KiB below esp when the copy's fault applies the stack
 * rule (the kernel prints that fault).  Then the process reads the
 * second pointer itself, which kills it, as in Pintos. */
#include <defs.h>
#include <error.h>
#include <syscall.h>
#include <ulib.h>
#include <test.h>

int main(void)
{
    uintptr_t esp;
    test_begin("pt-bad-read");
    asm volatile("movl %%esp, %0" : "=r"(esp));
    const char *deep = (const char *)ROUNDDOWN(esp - 0x10000, 0x1000);
    CHECK(sys_write(1, (const char *)0x04000000, 1) == -E_INVAL,
          "write from an address in no region: -E_INVAL");
    CHECK(sys_write(1, deep, 1) == -E_INVAL,
          "write from 64 KiB below esp: -E_INVAL");
    msg("read it directly");
    (void)*(volatile const char *)deep;
    fail("should have died");
}
