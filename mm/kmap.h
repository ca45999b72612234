/* The kernel half of every address space: the direct map of RAM, the
 * kernel image with per-section permissions, and device MMIO. */
#ifndef RVOS_MM_KMAP_H
#define RVOS_MM_KMAP_H
#include <stdint.h>
#include "../arch/riscv/sv39.h"
struct platform;
void kmap_init(const struct platform *pf);
/* Switches this hart to the kernel page table. Called at boot, and by
 * aspace_activate (mm/activate.c), which owns satp from then on. */
void kmap_activate(void);
extern pte_t *kernel_root;
extern const struct pt_ops pt_ops; /* page-table pages from the frame allocator */
#endif
