/* host_out.c -- see host_out.h. */
#include <stdlib.h>

#include "host_out.h"

FILE *host_open_out(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    return f;
}
