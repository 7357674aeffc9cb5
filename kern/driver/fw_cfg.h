/* fw_cfg.h -- QEMU's firmware configuration device (I/O ports 0x510 and
 * 0x511): named files the command line passes in (-fw_cfg name=...). */
#ifndef KERN_DRIVER_FW_CFG_H
#define KERN_DRIVER_FW_CFG_H

#include <defs.h>

/**
 * fw_cfg_read_file - copy the fw_cfg file @name into @buf (@size bytes,
 * @size > 0) as a NUL-terminated string, cut to fit.  Returns the length
 * stored, or -1 when there is no fw_cfg device or no such file.
 */
int fw_cfg_read_file(const char *name, char *buf, size_t size);

#endif /* !KERN_DRIVER_FW_CFG_H */
