/* pt-big-stk-obj -- a 64 KiB object on the stack (16 pages the stack
 * grows into at once), filled with ARC4 output and checksummed. */
#include <string.h>
#include <arc4.h>
#include <cksum.h>
#include <test.h>

int main(void)
{
    char stk_obj[65536];
    struct arc4 arc4;
    test_begin("pt-big-stk-obj");
    arc4_init(&arc4, "foobar", 6);
    memset(stk_obj, 0, sizeof(stk_obj));
    arc4_crypt(&arc4, stk_obj, sizeof(stk_obj));
    msg("cksum: %lu", (unsigned long)cksum(stk_obj, sizeof(stk_obj)));
    return test_end();
}
