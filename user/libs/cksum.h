/* cksum.h -- the POSIX cksum CRC (Pintos's tests/cksum): the same value
 * as the `cksum` command prints for a file with these bytes. */
#ifndef USER_LIBS_CKSUM_H
#define USER_LIBS_CKSUM_H

#include <defs.h>

/* cksum - the CRC of the @n bytes at @buf, their length included. */
uint32_t cksum(const void *buf, size_t n);

#endif /* !USER_LIBS_CKSUM_H */
