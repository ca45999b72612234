/* The classic xv6 include path "kernel/riscv.h", for user programs: the
 * page size, the Sv39 address limit, page-table entries (for pgpte) and a
 * few register reads (RISC-V privileged spec, 4.4: Sv39). The CSR accessors of the classic header
 * are for the kernel only and are not here. */
#ifndef RVOS_COMPAT_KERNEL_RISCV_H
#define RVOS_COMPAT_KERNEL_RISCV_H
#include "kernel/types.h"

#define PGSIZE 4096 /* bytes per page */
#define PGSHIFT 12  /* bits of offset within a page */
#define PGROUNDUP(sz) (((sz) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE - 1))

/* Page-table entries as the page-table lab's tests read them (pgpte()
 * returns one): RISC-V privileged spec 4.4.1, the Sv39 PTE. A PTE holds
 * the physical page number from bit 10 up and the flags in bits 0..9. */
typedef uint64 pte_t;
#define PTE_V (1L << 0) /* valid */
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4) /* user-accessible */
#define PA2PTE(pa) ((((uint64)(pa)) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte)&0x3FF)
/* the index into each level's table of va (level 2 is the root) */
#define PXMASK 0x1FF
#define PXSHIFT(level) (PGSHIFT + (9 * (level)))
#define PX(level, va) ((((uint64)(va)) >> PXSHIFT(level)) & PXMASK)
/* A 2 MiB megapage (a leaf one level up): the size and the rounding. */
#define SUPERPGSIZE (2 * (1 << 20))
#define SUPERPGROUNDUP(sz) (((sz) + SUPERPGSIZE - 1) & ~(SUPERPGSIZE - 1))

/* One beyond the highest virtual address a user program could ever use:
 * Sv39 has 39 bits, and the upper half (bit 38 set) is the kernel's. rvos
 * maps user memory only below 252 GiB; everything from there up faults. */
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))

static inline uint64 r_sp(void)
{
    uint64 x;
    __asm__ volatile("mv %0, sp" : "=r"(x));
    return x;
}

static inline uint64 r_fp(void)
{
    uint64 x;
    __asm__ volatile("mv %0, s0" : "=r"(x));
    return x;
}

static inline uint64 r_ra(void)
{
    uint64 x;
    __asm__ volatile("mv %0, ra" : "=r"(x));
    return x;
}

static inline uint64 r_tp(void)
{
    uint64 x;
    __asm__ volatile("mv %0, tp" : "=r"(x));
    return x;
}
#endif
