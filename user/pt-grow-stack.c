/* pt-grow-stack -- a 4 KiB object on the stack, below its first page,
 * filled with ARC4 output: the stack grows and keeps the data (Pintos's
 * checksum, the one `cksum` gives for the same bytes). */
#include <string.h>
#include <arc4.h>
#include <cksum.h>
#include <test.h>

int main(void)
{
    char stack_obj[4096];
    struct arc4 arc4;
    test_begin("pt-grow-stack");
    arc4_init(&arc4, "foobar", 6);
    memset(stack_obj, 0, sizeof(stack_obj));
    arc4_crypt(&arc4, stack_obj, sizeof(stack_obj));
    msg("cksum: %lu", (unsigned long)cksum(stack_obj, sizeof(stack_obj)));
    return test_end();
}
