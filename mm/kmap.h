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
/* Allocates and maps the stack of the process kernel-stack slot at
 * slot_va (memlayout.h, KSTACK_BASE), leaving its guard page unmapped; 0,
 * or -1 with nothing mapped when memory is short. Slots are disjoint: no
 * lock is needed as long as one caller owns the slot. */
int kmap_stack(uint64_t slot_va);
/* Unmaps the slot's stack and frees its frames. Nothing may run on it. */
void kunmap_stack(uint64_t slot_va);
/* Called by a hart before it switches to any process stack, with its own
 * record of the stack mappings it has seen: flushes its TLB if a slot was
 * mapped or unmapped since. */
void kmap_stack_sync(uint64_t *seen);
extern pte_t *kernel_root;
extern const struct pt_ops pt_ops; /* page-table pages from the frame allocator */
#endif
