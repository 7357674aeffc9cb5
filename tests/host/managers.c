/* managers.c -- the table behind managers.h: the managers HOST_PMMS names
 * (tests/host.mk passes -DHOST_PMM_<name> for each), in a fixed order with
 * default, the reference of the benchmark's ratios, first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "managers.h"
#include <best_fit_pmm.h>
#include <buddy_pmm.h>
#include <default_pmm.h>
#include <fast_ff_pmm.h>

const struct host_pmm host_pmms[] = {
#ifdef HOST_PMM_default
    {"default", &default_pmm_manager, RULE_FIRST_FIT},
#endif
#ifdef HOST_PMM_fast_ff
    {"fast_ff", &fast_ff_pmm_manager, RULE_FIRST_FIT},
#endif
#ifdef HOST_PMM_best_fit
    {"best_fit", &best_fit_pmm_manager, RULE_BEST_FIT},
#endif
#ifdef HOST_PMM_buddy
    {"buddy", &buddy_pmm_manager, RULE_BUDDY},
#endif
};
const size_t host_npmms = sizeof(host_pmms) / sizeof(host_pmms[0]);

void ff_mode_note(struct ff_mode *m, size_t blocks)
{
    if (!m->indexed && blocks > FAST_FF_INDEX_ABOVE) {
        m->indexed = true;
        m->to_index++;
    } else if (m->indexed && blocks < FAST_FF_LIST_BELOW) {
        m->indexed = false;
        m->to_list++;
    }
}

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
    fputs(" (HOST_PMMS)\n", stderr);
    exit(2);
}
