/* arc4.h -- the ARC4 stream cipher (Pintos's tests/lib arc4, our code):
 * test data that is cheap to make, to check and to undo (encrypting
 * twice with the same key gives the plain text back). */
#ifndef USER_LIBS_ARC4_H
#define USER_LIBS_ARC4_H

#include <defs.h>

struct arc4 {
    uint8_t s[256];
    uint8_t i, j;
};

/* arc4_init - key @arc4 with the @size bytes at @key (@size > 0). */
void arc4_init(struct arc4 *arc4, const void *key, size_t size);

/* arc4_crypt - XOR the @size bytes at @buf with the next bytes of the
 * key stream of @arc4. */
void arc4_crypt(struct arc4 *arc4, void *buf, size_t size);

#endif /* !USER_LIBS_ARC4_H */
