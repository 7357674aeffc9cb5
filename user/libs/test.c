/* test.c -- the memory tests' begin/end lines, messages and PRNG. */
#include <defs.h>
#include <stdio.h>
#include <ulib.h>
#include <test.h>

static const char *test_name = "test";
static uint32_t rand_state = 1;

void test_begin(const char *name)
{
    test_name = name;
    msg("begin");
}

int test_end(void)
{
    msg("end");
    return 0;
}

/* say - "(NAME) " + @prefix + the message, in one write. */
static void say(const char *prefix, const char *fmt, va_list ap)
{
    char line[256];
    int n = snprintf(line, sizeof(line), "(%s) %s", test_name, prefix);
    vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    cprintf("%s\n", line);
}

void msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("", fmt, ap);
    va_end(ap);
}

void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say("FAIL: ", fmt, ap);
    va_end(ap);
    exit(1);
}

void rand_seed(uint32_t seed) { rand_state = seed != 0 ? seed : 1; }

uint32_t rand_next(void)
{
    rand_state ^= rand_state << 13;
    rand_state ^= rand_state >> 17;
    rand_state ^= rand_state << 5;
    return rand_state;
}

void rand_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)(rand_next() >> 24);
    }
}
