/* managers.c -- the table behind managers.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "managers.h"
#include <best_fit_pmm.h>
#include <buddy_pmm.h>
#include <default_pmm.h>
#include <fast_ff_pmm.h>

const struct host_pmm host_pmms[] = {
    {"default", &default_pmm_manager, RULE_FIRST_FIT},
    {"fast_ff", &fast_ff_pmm_manager, RULE_FIRST_FIT},
    {"best_fit", &best_fit_pmm_manager, RULE_BEST_FIT},
    {"buddy", &buddy_pmm_manager, RULE_BUDDY},
};
const size_t host_npmms = sizeof(host_pmms) / sizeof(host_pmms[0]);

const struct host_pmm *host_pmm_find(const char *name)
{
    for (size_t i = 0; i < host_npmms; i++) {
        if (strcmp(host_pmms[i].name, name) == 0) {
            return &host_pmms[i];
        }
    }
    fprintf(stderr, "no page allocator called '%s'; have:", name);
    for (size_t i = 0; i < host_npmms; i++) {
        fprintf(stderr, " %s", host_pmms[i].name);
    }
    fputc('\n', stderr);
    exit(2);
}
