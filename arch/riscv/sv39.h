/* Sv39 page tables (RISC-V privileged spec 4.4): three levels of 512
 * eight-byte entries; a virtual address is VPN[2] (bits 38..30), VPN[1]
 * (29..21), VPN[0] (20..12) and a 12-bit offset. */
#ifndef RVOS_ARCH_SV39_H
#define RVOS_ARCH_SV39_H
#include <stdint.h>

typedef uint64_t pte_t;

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
/* RSW (bits 8-9) are ignored by hardware and reserved for supervisor
 * software (spec 4.4.1). We use bit 8 to mark a page that is writable in
 * principle but shared copy-on-write: such a PTE never has PTE_W. */
#define PTE_COW (1UL << 8)
#define PTE_FLAGS_MASK 0x3FFUL
#define PTE_LEAF_MASK (PTE_R | PTE_W | PTE_X)

#define PTES_PER_TABLE 512
#define VPN(va, level) (((uint64_t)(va) >> (12 + 9 * (level))) & 511)
#define LEVEL_SIZE(level) (1UL << (12 + 9 * (level)))

static inline uint64_t pte_to_pa(pte_t pte) { return (pte >> 10) << 12; }
static inline pte_t pa_to_pte(uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags; }
static inline int pte_is_leaf(pte_t pte) { return (pte & PTE_V) && (pte & PTE_LEAF_MASK); }

/* Page-table pages come from the memory manager, which passes these in so
 * that arch/ depends on nothing above it. alloc returns a zeroed page (its
 * kernel virtual address) or 0; free gives one back. */
struct pt_ops {
    pte_t *(*alloc)(void);
    void (*free)(pte_t *table);
};

/* The level-0 PTE for va, or 0. With ops, missing intermediate tables are
 * allocated (0 is still returned if allocation fails). */
pte_t *sv39_walk(pte_t *root, uint64_t va, const struct pt_ops *ops);
/* Maps [va, va+size) to [pa, pa+size) with flags (V, A, D added). Uses 1 GiB
 * and 2 MiB leaves where alignment allows if `huge` is set. Returns 0 or -1
 * when a table cannot be allocated. */
int sv39_map_range(pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags, int huge,
                   const struct pt_ops *ops);
/* Frees the page-table pages under [va, end) that no longer hold any valid
 * entry (after an unmap), and clears the entries that pointed at them. The
 * root must be the one this hart runs on (or none runs on): a full local
 * sfence.vma separates clearing the entries from freeing the pages. */
void sv39_prune(pte_t *root, uint64_t va, uint64_t end, const struct pt_ops *ops);
/* Calls fn(ctx, va, pte) for every valid 4 KiB leaf in root entries
 * [first, last), in address order; stops early if fn returns non-zero. */
int sv39_for_each_leaf(pte_t *root, int first, int last, int (*fn)(void *ctx, uint64_t va, pte_t *pte), void *ctx);
#endif
