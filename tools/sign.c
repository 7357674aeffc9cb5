/* sign.c -- make a 512-byte MBR from a boot block: pad it to 510 bytes and
 * append the 0x55AA signature.  A block over 510 bytes is a build error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char *argv[])
{
    unsigned char buf[600];
    if (argc != 3) {
        fprintf(stderr, "usage: %s <bootblock.bin> <bootsector>\n", argv[0]);
        return 1;
    }
    FILE *in = fopen(argv[1], "rb");
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }
    size_t size = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    if (size > 510) {
        fprintf(stderr,
                "sign: %s is %zu bytes; a boot sector holds at most "
                "510 bytes of code and data\n",
                argv[1], size);
        return 1;
    }
    memset(buf + size, 0, 510 - size);
    buf[510] = 0x55;
    buf[511] = 0xAA;
    FILE *out = fopen(argv[2], "wb");
    if (out == NULL || fwrite(buf, 1, 512, out) != 512 || fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    printf("boot sector: %zu bytes of 510 used\n", size);
    return 0;
}
