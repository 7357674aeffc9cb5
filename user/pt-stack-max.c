/* pt-stack-max -- recursion with a 4 KiB frame until the stack passes its
 * maximum size (USTACKSIZE, 8 MiB): every level grows the stack by a page
 * and the first access below the limit is a segmentation fault ("stack
 * overflow").  At -m 16M the process pool (about 3.6 MiB) runs out first:
 * the growth fault finds no frame and the process is killed "out of
 * memory" instead.  Either way the kernel carries on. */
#include <ulib.h>
#include <test.h>

#define MAX_DEPTH 4096 /* 16 MiB of frames: twice the limit */

/* dive - one page of stack per level, down to @depth MAX_DEPTH. */
static int dive(int depth)
{
    volatile char page[4096];
    page[0] = (char)depth;
    return depth < MAX_DEPTH ? dive(depth + 1) + page[0] : 0;
}

int main(void)
{
    test_begin("pt-stack-max");
    dive(0);
    fail("should have died");
}
