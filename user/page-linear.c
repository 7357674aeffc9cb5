/* page-linear -- a 2 MiB buffer (bss, zero-filled on first touch) set to
 * 0x5a, read back, encrypted and decrypted in place with ARC4, read back
 * again: every page is written, read and rewritten in address order. */
#include <string.h>
#include <arc4.h>
#include <test.h>

#define SIZE (2 * 1024 * 1024)

static char buf[SIZE];

/* check_5a - fail unless every byte of buf is 0x5a. */
static void check_5a(void)
{
    for (size_t i = 0; i < SIZE; i++) {
        if (buf[i] != 0x5a) {
            fail("byte %lu != 0x5a", (unsigned long)i);
        }
    }
}

int main(void)
{
    struct arc4 arc4;
    test_begin("page-linear");
    msg("initialize");
    memset(buf, 0x5a, sizeof(buf));
    msg("read pass");
    check_5a();
    msg("read/modify/write pass one");
    arc4_init(&arc4, "foobar", 6);
    arc4_crypt(&arc4, buf, SIZE);
    msg("read/modify/write pass two");
    arc4_init(&arc4, "foobar", 6);
    arc4_crypt(&arc4, buf, SIZE);
    msg("read pass");
    check_5a();
    return test_end();
}
