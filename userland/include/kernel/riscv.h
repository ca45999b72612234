/* The classic xv6 include path "kernel/riscv.h", for user programs: the
 * page size, the Sv39 address limit and a few register reads (RISC-V
 * privileged spec, 4.4: Sv39). The CSR accessors of the classic header
 * are for the kernel only and are not here. */
#ifndef RVOS_COMPAT_KERNEL_RISCV_H
#define RVOS_COMPAT_KERNEL_RISCV_H
#include "kernel/types.h"

#define PGSIZE 4096 /* bytes per page */
#define PGSHIFT 12  /* bits of offset within a page */
#define PGROUNDUP(sz) (((sz) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE - 1))

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
