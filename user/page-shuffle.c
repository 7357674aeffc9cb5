/* page-shuffle -- a 128 KiB buffer shuffled ten times (Fisher-Yates with
 * the xorshift PRNG, so every page is touched in random order), its
 * checksum printed after each shuffle (fixed by the seed); the bytes must
 * still be the same multiset at the end. */
#include <defs.h>
#include <cksum.h>
#include <test.h>

#define SIZE (128 * 1024)

static unsigned char buf[SIZE];

/* histogram - count every byte value of buf into @h. */
static void histogram(size_t h[256])
{
    for (int v = 0; v < 256; v++) {
        h[v] = 0;
    }
    for (size_t i = 0; i < SIZE; i++) {
        h[buf[i]]++;
    }
}

static void shuffle(void)
{
    for (size_t i = SIZE - 1; i > 0; i--) {
        size_t j = rand_next() % (i + 1);
        unsigned char t = buf[i];
        buf[i] = buf[j];
        buf[j] = t;
    }
}

int main(void)
{
    size_t before[256], after[256];
    test_begin("page-shuffle");
    for (size_t i = 0; i < SIZE; i++) {
        buf[i] = (unsigned char)(i * 257);
    }
    histogram(before);
    msg("init: cksum=%lu", (unsigned long)cksum(buf, SIZE));
    rand_seed(42);
    for (int i = 0; i < 10; i++) {
        shuffle();
        msg("shuffle %d: cksum=%lu", i, (unsigned long)cksum(buf, SIZE));
    }
    histogram(after);
    for (int v = 0; v < 256; v++) {
        if (before[v] != after[v]) {
            fail("value %d: %lu times before, %lu after", v,
                 (unsigned long)before[v], (unsigned long)after[v]);
        }
    }
    msg("same bytes after shuffling");
    return test_end();
}
