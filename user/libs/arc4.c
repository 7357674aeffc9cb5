/* arc4.c -- ARC4 (RC4): key schedule and key stream. */
#include <defs.h>
#include <arc4.h>

static void swap_byte(uint8_t *a, uint8_t *b)
{
    uint8_t t = *a;
    *a = *b;
    *b = t;
}

void arc4_init(struct arc4 *arc4, const void *key, size_t size)
{
    const uint8_t *k = key;
    uint8_t *s = arc4->s;
    for (int i = 0; i < 256; i++) {
        s[i] = (uint8_t)i;
    }
    uint8_t j = 0;
    for (size_t i = 0, ki = 0; i < 256; i++, ki = ki + 1 < size ? ki + 1 : 0) {
        j += s[i] + k[ki];
        swap_byte(&s[i], &s[j]);
    }
    arc4->i = arc4->j = 0;
}

void arc4_crypt(struct arc4 *arc4, void *buf, size_t size)
{
    uint8_t *p = buf, *s = arc4->s, i = arc4->i, j = arc4->j;
    while (size-- > 0) {
        i++;
        j += s[i];
        swap_byte(&s[i], &s[j]);
        *p++ ^= s[(uint8_t)(s[i] + s[j])];
    }
    arc4->i = i;
    arc4->j = j;
}
