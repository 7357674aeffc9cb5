/*
 * fuzz_kmalloc.c -- libFuzzer target for kmalloc/kfree.  data[0] picks the
 * page allocator under kmalloc, data[1] the memory (16 to 271 pages, so
 * that it runs out), then each pair of bytes is a kmalloc of a size the
 * pair describes or a kfree of a live object; at the end everything is
 * freed and kmalloc_reclaim() must give every page back.  Every call is
 * checked by the kmalloc view (kview.h), which aborts on a failed check.
 *
 * The memory behind the Page array is real: host_setup(HOST_BACKING) maps
 * it at KERNBASE, which tests/host.mk sets to 0x40000000 for the fuzz
 * build (HOST_KERNBASE).  The kernel's 0xC0000000 lies in x86-64 ASan's
 * shadow gap, which ASan reserves (PROT_NONE) at start-up, so the mapping
 * would fail there; 0x40000000 up to KERNTOP (0x78000000) lies in ASan's
 * low memory, below its low shadow (from 0x7fff8000), where nothing else
 * is mapped (programs, heaps and libraries sit far higher on x86-64, and
 * MAP_FIXED_NOREPLACE would refuse a clash).  ASan does not know the
 * mapping, so the kview poisons every page of it the page allocator has
 * not handed out: kmalloc touching a page it does not hold is reported.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kview.h"
#include "managers.h"
#include <kmalloc.h>

static unsigned long long calls, inputs;

/* report_calls - at exit (libFuzzer's too): the kmalloc/kfree calls the
 * inputs made, for `make fuzz` to print beside libFuzzer's runs. */
static void report_calls(void)
{
    fprintf(stderr, "fuzz kmalloc: %llu kmalloc/kfree calls in %llu inputs\n",
            calls, inputs);
}

/* request_size - from two input bytes: tiny, an exact class, any slab
 * size, around the largest class and half a page, several pages, whole
 * pages give or take a little, or 0 and sizes no memory holds. */
static size_t request_size(uint8_t how, uint8_t a)
{
    size_t hi = how >> 4;
    switch ((how >> 1) & 7) {
    case 0:
        return 1 + a % 8;
    case 1:
        return (size_t)8 << (a % 8);
    case 2:
        return 1 + a * 4 + hi;
    case 3:
        return PGSIZE / 2 - 128 + a;
    case 4:
        return 1024 + a * 12 + hi;
    case 5:
        return a * 64 + hi;
    case 6:
        return (1 + a % 8) * PGSIZE + hi - 8;
    default:
        return hi < 4 ? 0 : (npage + a) * PGSIZE * hi;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    if (inputs++ == 0) {
        atexit(report_calls);
    }
    const struct host_pmm *hp = &host_pmms[data[0] % host_npmms];
    host_setup(hp->m, 16 + data[1], HOST_BACKING | HOST_QUIET);
    kmalloc_init();
    struct kview kv;
    kview_init(&kv);
    for (size_t i = 2; i + 1 < size; i += 2) {
        uint8_t how = data[i], a = data[i + 1];
        if ((how & 1) && kv.nlive > 0) {
            kview_free(&kv, a % kv.nlive);
        } else {
            kview_alloc(&kv, request_size(how, a));
        }
    }
    kview_free_all(&kv);
    kview_expect_empty(&kv);
    calls += kv.calls;
    kview_destroy(&kv);
    return 0;
}
