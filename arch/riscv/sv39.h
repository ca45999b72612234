/* Sv39 page tables (RISC-V privileged spec 4.4): three levels of 512
 * eight-byte entries; a virtual address is VPN[2] (bits 38..30), VPN[1]
 * (29..21), VPN[0] (20..12) and a 12-bit offset. */
#ifndef RVOS_ARCH_SV39_H
#define RVOS_ARCH_SV39_H
#include <stdint.h>
#include "memlayout.h"

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
/* RSW bit 9: a frame shared on purpose (a MAP_SHARED mapping): fork
 * shares it writable as it is, under every policy, and never marks it
 * COW. A PTE never has both PTE_SHARED and PTE_COW. */
#define PTE_SHARED (1UL << 9)
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

static inline pte_t *pte_table(pte_t pte) { return (pte_t *)pa_to_va(pte_to_pa(pte)); }

/* The one walker. sv39_visit walks the entries that map [va, end) in
 * address order, depth first, and lets three callbacks decide:
 *
 *   pre(ctx, e, level, va)   every entry above leaf_level (valid or not,
 *                            a huge leaf included), before its subtree:
 *                            returns SV39_DESCEND (e must then point at a
 *                            table: pre may have just allocated it),
 *                            SV39_SKIP, or a negative value that stops
 *                            the walk and is returned.
 *   leaf(ctx, e, va)         every entry at leaf_level, valid or not:
 *                            0 goes on, anything else stops the walk and
 *                            is returned.
 *   post(ctx, e, level, va)  (may be 0) every entry pre descended into,
 *                            after its subtree: where tables are freed.
 *
 * va given to a callback is the first address its entry maps (within the
 * range). It is inline, always: every caller passes constant callbacks,
 * so the compiler inlines them into the loops, and a walk over every
 * resident page (fork, exit) costs no indirect call per entry. */
#define SV39_SKIP 0
#define SV39_DESCEND 1
typedef int (*sv39_pre_fn)(void *ctx, pte_t *e, int level, uint64_t va);
typedef int (*sv39_leaf_fn)(void *ctx, pte_t *e, uint64_t va);
typedef void (*sv39_post_fn)(void *ctx, pte_t *e, int level, uint64_t va);

/* One table of the walk, at a level fixed at each call site (3 functions,
 * not a recursion, so that all of it can be inlined). */
#define SV39_ALWAYS_INLINE static inline __attribute__((always_inline))

/* Entries [*lo, *hi] of a level-`level` table whose subtree starts at
 * base that lie in [va, last]. */
SV39_ALWAYS_INLINE void sv39_span(uint64_t base, uint64_t va, uint64_t last, int level, unsigned *lo, unsigned *hi)
{
    *lo = va > base ? VPN(va, level) : 0;
    *hi = last - base < LEVEL_SIZE(level + 1) - 1 ? VPN(last, level) : PTES_PER_TABLE - 1;
}

SV39_ALWAYS_INLINE int sv39_visit_l0(pte_t *table, uint64_t base, uint64_t va, uint64_t last, sv39_leaf_fn leaf,
                                     void *ctx)
{
    unsigned lo, hi;
    sv39_span(base, va, last, 0, &lo, &hi);
#pragma GCC unroll 4
    for (unsigned i = lo; i <= hi; i++) {
        int r = leaf(ctx, &table[i], base + ((uint64_t)i << 12));
        if (r)
            return r;
    }
    return 0;
}

SV39_ALWAYS_INLINE int sv39_visit_l1(pte_t *table, uint64_t base, uint64_t va, uint64_t last, int leaf_level,
                                     sv39_pre_fn pre, sv39_leaf_fn leaf, sv39_post_fn post, void *ctx)
{
    unsigned lo, hi;
    sv39_span(base, va, last, 1, &lo, &hi);
    for (unsigned i = lo; i <= hi; i++) {
        uint64_t eva = base + ((uint64_t)i << 21), from = eva < va ? va : eva;
        int r;
        if (leaf_level == 1) {
            if ((r = leaf(ctx, &table[i], from)))
                return r;
            continue;
        }
        if ((r = pre(ctx, &table[i], 1, from)) < 0)
            return r;
        if (r == SV39_SKIP)
            continue;
        if ((r = sv39_visit_l0(pte_table(table[i]), eva, va, last, leaf, ctx)))
            return r;
        if (post)
            post(ctx, &table[i], 1, from);
    }
    return 0;
}

SV39_ALWAYS_INLINE int sv39_visit(pte_t *root, uint64_t va, uint64_t end, int leaf_level, sv39_pre_fn pre,
                                  sv39_leaf_fn leaf, sv39_post_fn post, void *ctx)
{
    if (end <= va)
        return 0;
    /* Sv39 addresses are 39 bits, sign extended: keep the bits above them
     * so that kernel addresses come out as they went in. */
    uint64_t top = va & ~(LEVEL_SIZE(3) - 1), last = end - 1;
    unsigned lo = VPN(va, 2), hi = VPN(last, 2);
    for (unsigned i = lo; i <= hi; i++) {
        uint64_t eva = top + ((uint64_t)i << 30), from = eva < va ? va : eva;
        int r;
        if (leaf_level == 2) {
            if ((r = leaf(ctx, &root[i], from)))
                return r;
            continue;
        }
        if ((r = pre(ctx, &root[i], 2, from)) < 0)
            return r;
        if (r == SV39_SKIP)
            continue;
        if ((r = sv39_visit_l1(pte_table(root[i]), eva, va, last, leaf_level, pre, leaf, post, ctx)))
            return r;
        if (post)
            post(ctx, &root[i], 2, from);
    }
    return 0;
}

/* A `pre` for walks that only read or clear what is there: descend into
 * tables that exist, skip the rest. A range that is mostly reserved and
 * never touched (a lazy heap, a large mapping) then costs what is mapped,
 * not its size. */
static inline int sv39_tables_present(void *ctx, pte_t *e, int level, uint64_t va)
{
    (void)ctx, (void)level, (void)va;
    return (*e & PTE_V) && !pte_is_leaf(*e) ? SV39_DESCEND : SV39_SKIP;
}

/* The level-0 PTE for va, or 0. With ops, missing intermediate tables are
 * allocated (0 is still returned if allocation fails). */
pte_t *sv39_walk(pte_t *root, uint64_t va, const struct pt_ops *ops);
/* The entry for va at `level` (0: the 4 KiB leaf), allocating missing
 * tables above it with ops; 0 if a huge leaf is in the way or nothing is
 * there (and !ops) or allocation failed. */
pte_t *sv39_entry(pte_t *root, uint64_t va, int level, const struct pt_ops *ops);
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
