/*
 * pmm_guard.c -- what can be checked about a page-allocator call before the
 * manager sees it.  Each failure panics naming the caller, the page and the
 * problem, so bad input never reaches (and corrupts) a free list.  Double
 * frees are caught by the managers themselves, which know what is free.
 */
#include <memmap.h>
#include <pmm_guard.h>

/* pmm_guard_alloc - panic unless @n is a possible request. */
void pmm_guard_alloc(const char *fn, size_t n)
{
    if (n == 0) {
        panic("%s: n == 0", fn);
    }
}

/* pmm_guard_free - panic unless [base, base + n) is a non-empty run of
 * managed (not reserved) pages inside the Page array that nothing maps
 * any more (reference count 0). */
void pmm_guard_free(const char *fn, struct Page *base, size_t n)
{
    if (n == 0) {
        panic("%s: n == 0 (base %p)", fn, base);
    }
    if (!page_in_array(base)) {
        panic("%s: %p is not a page of the Page array [%p, %p)", fn, base,
              pages, pages + npage);
    }
    size_t first = base - pages;
    if (n > npage - first) {
        panic("%s: range of %lu pages at ppn %lu runs past the end of memory "
              "(npage %lu)",
              fn, (unsigned long)n, (unsigned long)first, (unsigned long)npage);
    }
    for (size_t i = 0; i < n; i++) {
        if (PageReserved(base + i)) {
            panic("%s: page %p (pa %08lx) is reserved, not managed", fn,
                  base + i, (unsigned long)((first + i) << PGSHIFT));
        }
        if (page_ref(base + i) != 0) {
            panic("%s: page %p (pa %08lx) is still mapped (ref %d)", fn,
                  base + i, (unsigned long)((first + i) << PGSHIFT),
                  page_ref(base + i));
        }
    }
}
