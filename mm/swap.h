/* Swap space: the swap disk (the virtio disk whose serial is "swap")
 * cut into 4 KiB slots, and the PTE that names a slot.
 *
 * A page that was evicted (mm/evict.c) is a swap PTE: V clear (hardware
 * ignores every other bit, privileged spec 4.4.1), PTE_SWAP set and the
 * slot number where a frame number would be (bits 10..53). A PTE is then
 * one of three things: 0 (absent: the region may fill it), valid (a
 * frame), or a swap PTE (the page's bytes are in that slot).
 *
 * A slot's count is the number of swap PTEs naming it (COW-shared pages
 * are swapped out once, all their PTEs name one slot; a level-0 table
 * shared under odf holds one PTE for all its holders, as with frames)
 * plus the temporary holds of an eviction or a swap-in under way. The
 * slot is free again when the count drops to 0. The audit checks counts
 * against PTEs. Swap content does not outlive a boot. */
#ifndef RVOS_MM_SWAP_H
#define RVOS_MM_SWAP_H
#include <stdint.h>
#include "../arch/riscv/sv39.h"

#define PTE_SWAP (1UL << 1) /* with PTE_V clear: a swap PTE */
#define SWAP_NONE (~0UL)

static inline int pte_is_swap(pte_t e) { return (e & (PTE_V | PTE_SWAP)) == PTE_SWAP; }
static inline pte_t swap_pte(uint64_t slot) { return (slot << 10) | PTE_SWAP; }
static inline uint64_t pte_swap_slot(pte_t e) { return e >> 10; }

/* Finds the swap disk and sizes the slot map (boot, in process context:
 * it may sleep). Prints a line. 0, or -1 when there is no swap. */
int swap_init(void);
int swap_present(void);
uint64_t swap_slots_total(void);
uint64_t swap_slots_used(void);

/* A free slot, holding one reference (the caller's hold: swap_unhold
 * drops it), or SWAP_NONE. */
uint64_t swap_slot_new(void);
void swap_dup(uint64_t slot);
void swap_put(uint64_t slot);
/* A temporary reference (an eviction or a swap-in under way), counted
 * apart so that the audit can tell them from PTEs. */
void swap_hold(uint64_t slot);
void swap_unhold(uint64_t slot);
uint32_t swap_count(uint64_t slot); /* the audit: */
uint64_t swap_count_sum(void);      /* every slot's count, added up */
uint64_t swap_holds(void);

/* Writes / reads one page (a kernel address) to / from a slot. Both
 * sleep; only one swap transfer runs at a time, and an eviction holds
 * that right from before it names the slot in any PTE until the slot is
 * written (swap_io_begin/end), so a swap-in never reads a slot before
 * its bytes are there. 0, or -1 on an I/O error. */
void swap_io_begin(void);
void swap_io_end(void);
int swap_write_locked(uint64_t slot, const void *page);
int swap_read(uint64_t slot, void *page);
/* Slots whose write failed: their pages are lost; a swap-in of one
 * fails (the process is killed). */
int swap_slot_bad(uint64_t slot);
#endif
