/* cksum.c -- CRC-32 with polynomial 0x04C11DB7, most significant bit
 * first, then the length, then inverted: POSIX cksum.  The table is
 * built on first use. */
#include <defs.h>
#include <cksum.h>

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++) {
            c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
        }
        table[i] = c;
    }
}

static uint32_t step(uint32_t s, uint8_t byte)
{
    return (s << 8) ^ table[(s >> 24) ^ byte];
}

uint32_t cksum(const void *buf, size_t n)
{
    const uint8_t *b = buf;
    uint32_t s = 0;
    if (table[1] == 0) {
        make_table();
    }
    for (size_t i = 0; i < n; i++) {
        s = step(s, b[i]);
    }
    for (; n != 0; n >>= 8) {
        s = step(s, (uint8_t)n);
    }
    return ~s;
}
