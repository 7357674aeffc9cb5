/*
 * malloc.c -- first fit over an address-ordered free list, on the heap
 * that brk moves.  Every block starts with a header (its size, header
 * included, a multiple of 8, and a magic word saying whether it is in use
 * or free); a free block keeps the next free block's address after its
 * header.  free merges a block with the free blocks on both sides, so no
 * two free blocks ever touch, and hands a free block that ends the heap
 * back to the kernel: once everything is freed the break is where it
 * started.  The magic word catches a double free and a pointer malloc did
 * not return (a user panic) before either corrupts the heap.
 */
#include <defs.h>
#include <syscall.h>
#include <ulib.h>
#include <malloc.h>

#define MAGIC_USED 0x5553ed01u
#define MAGIC_FREE 0xf4ee0b1du
#define ALIGN      8

struct header {
    size_t size; /* bytes of the block, header included */
    uint32_t magic;
};

struct free_block {
    struct header h;
    struct free_block *next; /* the next free block up, or NULL */
};

#define MIN_BLOCK sizeof(struct free_block)

static uintptr_t heap_start, heap_end; /* the byte break: [start, end) */
static struct free_block *free_list;   /* lowest free block first */

/* break_init - read the kernel's break once (brk with 0). */
static void break_init(void)
{
    if (heap_start == 0) {
        uintptr_t b = 0;
        if (sys_brk(&b) != 0 || b == 0) {
            panic("malloc: cannot read the program break");
        }
        heap_start = heap_end = b;
    }
}

void *sbrk(intptr_t incr)
{
    break_init();
    uintptr_t old = heap_end, want = old + incr;
    if ((incr < 0 && want < heap_start) || (incr > 0 && want < old)) {
        return (void *)-1;
    }
    uintptr_t got = want;
    if (sys_brk(&got) != 0 || got < want) {
        got = old; /* put the kernel's break back where it was */
        sys_brk(&got);
        return (void *)-1;
    }
    heap_end = want;
    return (void *)old;
}

/* take - hand out @size bytes of free block @b, the one *@link points
 * at: the rest, when big enough, stays on the list as a free block in
 * @b's place; else @b leaves the list whole. */
static void *take(struct free_block **link, struct free_block *b, size_t size)
{
    if (b->h.size - size >= MIN_BLOCK) {
        struct free_block *rest = (struct free_block *)((char *)b + size);
        *rest = (struct free_block){{b->h.size - size, MAGIC_FREE}, b->next};
        *link = rest;
        b->h.size = size;
    } else {
        *link = b->next;
    }
    b->h.magic = MAGIC_USED;
    return (char *)b + sizeof(struct header);
}

void *malloc(size_t size)
{
    if (size == 0 || size > 0x40000000) {
        return NULL;
    }
    size_t need = ROUNDUP(size + sizeof(struct header), ALIGN);
    need = MAX(need, MIN_BLOCK);
    for (struct free_block **link = &free_list; *link != NULL;
         link = &(*link)->next) {
        if ((*link)->h.size >= need) {
            return take(link, *link, need);
        }
    }
    struct header *h = sbrk(need);
    if (h == (void *)-1) {
        return NULL;
    }
    *h = (struct header){need, MAGIC_USED};
    return h + 1;
}

/* block_of - the header of the block malloc returned as @ptr; a user
 * panic when @ptr is not one in use. */
static struct header *block_of(void *ptr)
{
    struct header *h = (struct header *)ptr - 1;
    uintptr_t a = (uintptr_t)h;
    if (a < heap_start || a >= heap_end || a % ALIGN != 0) {
        panic("free: %p is not in the heap [%08x, %08x)", ptr, heap_start,
              heap_end);
    }
    if (h->magic == MAGIC_FREE) {
        panic("free: double free of %p", ptr);
    }
    if (h->magic != MAGIC_USED) {
        panic("free: %p was not returned by malloc", ptr);
    }
    return h;
}

/* block_end - the address just past free block @b. */
static uintptr_t block_end(const struct free_block *b)
{
    return (uintptr_t)b + b->h.size;
}

/* trim_top - give the free block that ends the heap, if any (the last
 * on the list), back to the kernel. */
static void trim_top(void)
{
    struct free_block **link = &free_list;
    if (*link == NULL) {
        return;
    }
    while ((*link)->next != NULL) {
        link = &(*link)->next;
    }
    struct free_block *top = *link;
    if (block_end(top) == heap_end) {
        *link = NULL;
        if (sbrk(-(intptr_t)top->h.size) == (void *)-1) {
            panic("free: the kernel refused to shrink the heap");
        }
    }
}

void free(void *ptr)
{
    if (ptr == NULL) {
        return;
    }
    struct free_block *b = (struct free_block *)block_of(ptr), *prev = NULL;
    struct free_block **link = &free_list;
    while (*link != NULL && *link < b) {
        prev = *link;
        link = &(*link)->next;
    }
    b->h.magic = MAGIC_FREE;
    b->next = *link;
    *link = b;
    if (b->next != NULL && block_end(b) == (uintptr_t)b->next) {
        b->h.size += b->next->h.size;
        b->next = b->next->next;
    }
    if (prev != NULL && block_end(prev) == (uintptr_t)b) {
        prev->h.size += b->h.size;
        prev->next = b->next;
    }
    trim_top();
}

/* check_free_list - panic unless the free list is sorted, holds only free
 * blocks inside the heap, none touching the next or ending the heap;
 * returns its length. */
static size_t check_free_list(void)
{
    size_t n = 0;
    for (struct free_block *b = free_list; b != NULL; b = b->next, n++) {
        uintptr_t a = (uintptr_t)b;
        if (a < heap_start || block_end(b) >= heap_end ||
            b->h.magic != MAGIC_FREE ||
            (b->next != NULL && block_end(b) >= (uintptr_t)b->next)) {
            panic("malloc_check: free block %p (size %u) is misplaced", b,
                  b->h.size);
        }
    }
    return n;
}

size_t malloc_check(void)
{
    break_init();
    size_t used = 0, nfree = 0;
    uintptr_t a = heap_start;
    while (a < heap_end) {
        const struct header *h = (const struct header *)a;
        if (h->size < MIN_BLOCK || h->size % ALIGN != 0 ||
            h->size > heap_end - a ||
            (h->magic != MAGIC_USED && h->magic != MAGIC_FREE)) {
            panic("malloc_check: bad block header at %08x", a);
        }
        used += h->magic == MAGIC_USED;
        nfree += h->magic == MAGIC_FREE;
        a += h->size;
    }
    if (check_free_list() != nfree) {
        panic("malloc_check: %u free blocks, %u on the free list", nfree,
              check_free_list());
    }
    return used;
}
