/* test.h -- the shape of a memory test (Pintos's tests/lib.h, our code):
 * "(NAME) begin", messages "(NAME) ...", and "(NAME) end" when every
 * check held; a failed check prints "(NAME) FAIL: ..." and exits 1. */
#ifndef USER_LIBS_TEST_H
#define USER_LIBS_TEST_H

#include <defs.h>

/* test_begin - name the test and print "(NAME) begin". */
void test_begin(const char *name);

/* test_end - print "(NAME) end" and return 0, main's exit code. */
int test_end(void);

/* msg - print "(NAME) " and the message on one line. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fail - print "(NAME) FAIL: " and the message, then exit(1). */
void fail(const char *fmt, ...) __noreturn
    __attribute__((format(printf, 1, 2)));

/* CHECK - print the message; fail with it when @ok is false. */
#define CHECK(ok, ...)                                                         \
    do {                                                                       \
        msg(__VA_ARGS__);                                                      \
        if (!(ok)) {                                                           \
            fail(__VA_ARGS__);                                                 \
        }                                                                      \
    } while (0)

/* rand_seed / rand_next - a small deterministic PRNG (xorshift32) for
 * test data: the same seed gives the same sequence on every run. */
void rand_seed(uint32_t seed);
uint32_t rand_next(void);

/* rand_bytes - fill [@buf, @buf + @len) from the PRNG. */
void rand_bytes(void *buf, size_t len);

#endif /* !USER_LIBS_TEST_H */
