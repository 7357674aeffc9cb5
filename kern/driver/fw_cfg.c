/*
 * fw_cfg.c -- reading a named file of QEMU's fw_cfg device through its
 * legacy I/O interface: write a 16-bit selector to port 0x510, then read
 * the item byte by byte from port 0x511.  Item 0 is the signature "QEMU";
 * item 0x19 is the file directory: a big-endian count, then one entry per
 * file (big-endian size and selector, a 56-byte name).
 */
#include <defs.h>
#include <x86.h>
#include <string.h>
#include <fw_cfg.h>

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR  0x0019
#define FW_CFG_NAME_LEN  56

/* struct fw_cfg_file - one directory entry, as the device sends it. */
struct fw_cfg_file {
    uint32_t size;   /* big endian */
    uint16_t select; /* big endian */
    uint16_t reserved;
    char name[FW_CFG_NAME_LEN];
};

static void fw_cfg_select(uint16_t item) { outw(FW_CFG_PORT_SEL, item); }

/* fw_cfg_read - the next @n bytes of the selected item into @buf. */
static void fw_cfg_read(void *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ((uint8_t *)buf)[i] = inb(FW_CFG_PORT_DATA);
    }
}

static uint32_t be32(uint32_t x) { return __builtin_bswap32(x); }
static uint16_t be16(uint16_t x) { return __builtin_bswap16(x); }

/* fw_cfg_present - whether the device answers with its signature. */
static bool fw_cfg_present(void)
{
    char sig[4];
    fw_cfg_select(FW_CFG_SIGNATURE);
    fw_cfg_read(sig, sizeof(sig));
    return memcmp(sig, "QEMU", sizeof(sig)) == 0;
}

int fw_cfg_read_file(const char *name, char *buf, size_t size)
{
    if (!fw_cfg_present()) {
        return -1;
    }
    uint32_t count;
    fw_cfg_select(FW_CFG_FILE_DIR);
    fw_cfg_read(&count, sizeof(count));
    for (uint32_t i = 0; i < be32(count); i++) {
        struct fw_cfg_file f;
        fw_cfg_read(&f, sizeof(f));
        f.name[FW_CFG_NAME_LEN - 1] = '\0';
        if (strcmp(f.name, name) == 0) {
            size_t n = MIN(be32(f.size), size - 1);
            fw_cfg_select(be16(f.select));
            fw_cfg_read(buf, n);
            buf[n] = '\0';
            return (int)n;
        }
    }
    return -1;
}
