/* x86.h -- thin inline wrappers around the i386 instructions the kernel uses.
 */
#ifndef LIBS_X86_H
#define LIBS_X86_H

#include <defs.h>

static inline uint8_t inb(uint16_t port)
{
    uint8_t data;
    asm volatile("inb %1, %0" : "=a"(data) : "d"(port));
    return data;
}

static inline void insl(uint32_t port, void *addr, int cnt)
{
    asm volatile("cld; rep insl"
                 : "=D"(addr), "=c"(cnt)
                 : "d"(port), "0"(addr), "1"(cnt)
                 : "memory", "cc");
}

static inline void outsl(uint32_t port, const void *addr, int cnt)
{
    asm volatile("cld; rep outsl"
                 : "=S"(addr), "=c"(cnt)
                 : "d"(port), "0"(addr), "1"(cnt)
                 : "memory", "cc");
}

static inline void outb(uint16_t port, uint8_t data)
{
    asm volatile("outb %0, %1" ::"a"(data), "d"(port));
}

static inline void outw(uint16_t port, uint16_t data)
{
    asm volatile("outw %0, %1" ::"a"(data), "d"(port));
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t data;
    asm volatile("inl %1, %0" : "=a"(data) : "d"(port));
    return data;
}

static inline void outl(uint16_t port, uint32_t data)
{
    asm volatile("outl %0, %1" ::"a"(data), "d"(port));
}

struct pseudodesc {
    uint16_t pd_lim;   /* limit */
    uintptr_t pd_base; /* base address */
} __attribute__((packed));

static inline void lidt(struct pseudodesc *pd)
{
    asm volatile("lidt (%0)" ::"r"(pd) : "memory");
}

static inline void lgdt(struct pseudodesc *pd)
{
    asm volatile("lgdt (%0)" ::"r"(pd) : "memory");
}

static inline void ltr(uint16_t sel) { asm volatile("ltr %0" ::"r"(sel)); }

static inline void sti(void) { asm volatile("sti" ::: "memory"); }
static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void hlt(void) { asm volatile("hlt"); }

static inline uint32_t read_eflags(void)
{
    uint32_t eflags;
    asm volatile("pushfl; popl %0" : "=r"(eflags));
    return eflags;
}

static inline uint32_t read_ebp(void)
{
    uint32_t ebp;
    asm volatile("movl %%ebp, %0" : "=r"(ebp));
    return ebp;
}

static inline void lcr3(uintptr_t cr3)
{
    asm volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
}

static inline uintptr_t rcr2(void)
{
    uintptr_t v;
    asm volatile("mov %%cr2, %0" : "=r"(v)::"memory");
    return v;
}

static inline uintptr_t rcr3(void)
{
    uintptr_t v;
    asm volatile("mov %%cr3, %0" : "=r"(v)::"memory");
    return v;
}

/* invlpg - drop the TLB entry that translates the linear address @addr. */
static inline void invlpg(void *addr)
{
    asm volatile("invlpg (%0)" ::"r"(addr) : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint64_t t;
    asm volatile("rdtsc" : "=A"(t));
    return t;
}

#endif /* !LIBS_X86_H */
