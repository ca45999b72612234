/* TLB maintenance (privileged spec 4.2.1, SFENCE.VMA; SBI spec chapter 8,
 * RFENCE). The rules rvos relies on are stated in docs/mm.md. */
#ifndef RVOS_ARCH_TLB_H
#define RVOS_ARCH_TLB_H
#include <stdint.h>

#ifndef RVOS_HOST_TEST
/* Every translation on this hart, global ones included, and every cached
 * non-leaf entry (the walk cache): needed before a page-table page is
 * reused. */
static inline void tlb_flush_all(void) { __asm__ volatile("sfence.vma zero, zero" ::: "memory"); }
/* The leaf translation of one virtual page on this hart, in every address
 * space. Cached non-leaf entries on the way to it may survive. */
static inline void tlb_flush_page(uint64_t va) { __asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory"); }
#else
/* Host unit tests (tests/host) supply these, to see when flushes happen. */
void tlb_flush_all(void);
void tlb_flush_page(uint64_t va);
#endif
/* The same on every other online hart, through SBI RFENCE. Needed only when
 * a mapping that other harts may have cached changes (kernel mappings). */
void tlb_flush_range_remote(uint64_t hart_mask, uint64_t va, uint64_t size);
/* Makes root the active page table on this hart and flushes the TLB. */
void satp_switch(uint64_t root_pa);
#endif
