/* Virtual memory layout (Sv39, RISC-V privileged spec 4.4).
 *
 *   0x0000_0000_0000_0000 .. USER_TOP       user space (lower half, 256 GiB)
 *   0xFFFF_FFC0_0000_0000 .. (KERNBASE+PA)  direct map of physical memory:
 *                                           every physical address pa is
 *                                           reachable at pa + KERNBASE.
 *
 * The kernel image is linked inside the direct map (at KERNBASE plus its
 * load address), so kernel pointers and direct-map pointers are the same
 * thing and the translation between them is one addition. Every process
 * page table shares the kernel half (root entries 256..511). */
#ifndef RVOS_ARCH_MEMLAYOUT_H
#define RVOS_ARCH_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define KERNBASE 0xFFFFFFC000000000
#define SATP_SV39_ASM (8 << 60)
#else
#ifndef KERNBASE /* host unit tests define it as 0 */
#define KERNBASE 0xFFFFFFC000000000UL
#endif
#endif
#define KERNBASE_ROOT_INDEX 256 /* root entries 256..511 map the kernel half */
#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
/* The top of user space. Sv39 user addresses run up to 256 GiB (root
 * entries 0..255); we stop at 252 GiB and leave root entries 252..255
 * unused. */
#define USER_TOP 0x0000003F00000000UL
/* The user stack ends here, with the read-only USYSCALL page above it
 * (include/rvos/usyscall.h, mm/usyscall.c); exec maps as
 * many pages below it as the program asks for (include/rvos/exec.h), and
 * an unmapped guard page below those. */
#define USER_STACK_TOP 0x0000003EFFFFF000UL

#define MAX_HARTS 8 /* NCPU in include/rvos/param.h says the same to user programs */
#define KSTACK_SIZE 16384
/* Every kernel stack lives in a slot: an unmapped guard page, then the
 * stack. An overflow faults on the guard page, and trap.S turns that into
 * a clean panic instead of corrupting the neighbour below. The boot and
 * scheduler stacks (one per hart) are slots of the image's .stacks
 * section. The process slots' stacks are in a region of their own,
 * outside the direct map, at KSTACK_BASE: slot i starts at KSTACK_BASE +
 * i * KSTACK_SLOT, and its stack frames are allocated and mapped only
 * while a process holds the slot (mm/kmap.c, kmap_stack), so slots never
 * used cost address space, not memory. The region is the last 1 GiB of
 * the address space (root entry 511), which the direct map only reaches
 * with 255 GiB of RAM; its page-table pages exist from boot, so every
 * process page table shares them. */
#define KSTACK_SLOT (4096 + KSTACK_SIZE)
#define KSTACK_BASE 0xFFFFFFFFC0000000UL
#define KSTACK_AREA (2UL << 20) /* one level-0 table's worth: 102 slots */

#ifndef __ASSEMBLER__
#include <stdint.h>
static inline void *pa_to_va(uint64_t pa) { return (void *)(pa + KERNBASE); }
static inline uint64_t va_to_pa(const void *va) { return (uint64_t)va - KERNBASE; }
#define PAGE_ROUND_UP(x) (((uint64_t)(x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ROUND_DOWN(x) ((uint64_t)(x) & ~(PAGE_SIZE - 1))
#endif
#endif
