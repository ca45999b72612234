/* Shared level-0 page tables (the odf fork policy, mm/fork_odf.c).
 *
 * A level-0 table's struct page counts the level-1 entries that point at
 * it. At 1 the table is private to one address space; above 1 it is
 * shared, and then nobody writes to it: whoever needs to change one of
 * its entries first makes a private copy (table_unshare). Every change
 * to a user PTE therefore goes through aspace_pte_private or
 * aspace_unshare_range. Under the cow and copy policies no table is ever
 * shared, and both reduce to a walk and one refcount read. */
#include "aspace.h"
#include "kmap.h"
#include "mmstat.h"
#include "page.h"
#include "swap.h"
#include "evict.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/tlb.h"

struct spinlock ptshare_lock = {0, "ptshare", 0};

static struct page *table_page(pte_t e) { return pa_to_page(pte_to_pa(e)); }

/* Drops the frames a level-0 table maps and frees it (its last holder). */
void table_free_l0(pte_t *t)
{
    for (int k = 0; k < PTES_PER_TABLE; k++)
        if (t[k] & PTE_V)
            page_put(pa_to_page(pte_to_pa(t[k])));
        else if (t[k])
            swap_put(pte_swap_slot(t[k])); /* a page in swap */
    pt_ops.free(t);
}

/* Drops one reference to the level-0 table *e points at; the last holder
 * drops its frames too. */
void table_put_l0(pte_t e)
{
    if (!page_put_unless_last(table_page(e)))
        table_free_l0(pte_table(e));
}

/* A page-table page whose every entry the caller is about to write.
 * (Unused in the odf lab's handout, whose table_unshare is a stub.) */
__attribute__((unused)) static pte_t *table_alloc_unzeroed(void)
{
    struct page *pg = page_alloc(0);
    if (!pg)
        return 0;
    pg->flags |= PG_PAGETABLE;
    return page_va(pg);
}

/* LAB odf BEGIN: a helper for table_unshare: copy a table's entries, one reference more for what each maps */
/* Copies a level-0 table's entries, taking a reference for each: on the
 * frame, or (with swap, a constant at each call) on the slot. */
static inline __attribute__((always_inline)) void copy_entries(pte_t *copy, const pte_t *src, struct page_map m,
                                                               int swap)
{
#pragma GCC unroll 4
    for (int k = 0; k < PTES_PER_TABLE; k++) {
        pte_t x = src[k];
        copy[k] = x;
        if (x & PTE_V)
            page_get(pte_page(m, x));
        else if (swap && x)
            swap_dup(pte_swap_slot(x)); /* a page in swap */
    }
}
/* LAB odf END */

/* Makes the level-0 table that the level-1 entry *e (of as, whose lock
 * the caller holds) points at private to as, and marks it as about to be
 * written. 0, or -1 if no frame was left for the copy. */
static int table_unshare(pte_t *e)
{
    struct page *tp = table_page(*e);
    /* A count of 1 stays 1: only a fork of an address space holding the
     * table could raise it, and the one holder is ours (locked). Acquire:
     * the last other holder's reads of the table happen before our
     * writes to it. */
    if (page_refcount_acquire(tp) > 1) {
        /* LAB odf BEGIN: copy the shared table (a ref more per frame), point *e at the copy, drop the shared one */
        uint64_t t0 = rdtime();
        pte_t *src = pte_table(*e), *copy = table_alloc_unzeroed();
        if (!copy)
            return -1;
        /* Every entry is written, so the copy needs no zeroing first. */
        struct page_map m = page_map_get();
        if (evict_active()) {
            /* The evictor may be changing an entry for every holder at once. */
            spin_lock(&ptshare_lock);
            copy_entries(copy, src, m, 1);
            spin_unlock(&ptshare_lock);
        } else {
            copy_entries(copy, src, m, 0);
        }
        *e = pa_to_pte(va_to_pa(copy), PTE_V);
        /* This hart's walk cache may hold the pointer to the shared table
         * (privileged spec 4.2.1: a flush of one address keeps non-leaf
         * entries). The other holders will free that table some day, so
         * drop every cached pointer to it before ours is given up. Only
         * this hart runs as (satp_switch flushes on every switch). */
        tlb_flush_all();
        mm_count(&mm_counters.tables_copied);
        __atomic_fetch_add(&mm_counters.table_copy_ticks, rdtime() - t0, __ATOMIC_RELAXED);
        table_put_l0(pa_to_pte(va_to_pa(src), PTE_V));
        tp = table_page(*e);
        /* LAB odf STUB
        return -1;
           LAB odf END */
    }
    tp->flags &= ~PG_WRPROTECTED;
    return 0;
}

pte_t *aspace_pte_private(struct aspace *as, uint64_t va, int alloc)
{
    pte_t *e = sv39_entry(as->root, va, 1, alloc ? &pt_ops : 0);
    if (!e || pte_is_leaf(*e))
        return 0;
    if (!(*e & PTE_V)) {
        pte_t *t = alloc ? pt_ops.alloc() : 0;
        if (!t)
            return 0;
        *e = pa_to_pte(va_to_pa(t), PTE_V);
    } else if (table_unshare(e)) {
        return 0;
    }
    return &pte_table(*e)[VPN(va, 0)];
}

static int unshare_pre(void *ctx, pte_t *e, int level, uint64_t va)
{
    (void)ctx, (void)level, (void)va;
    return (*e & PTE_V) && !pte_is_leaf(*e) ? SV39_DESCEND : SV39_SKIP;
}

static int unshare_l1(void *ctx, pte_t *e, uint64_t va)
{
    (void)ctx, (void)va;
    if (!(*e & PTE_V) || pte_is_leaf(*e))
        return 0;
    return table_unshare(e);
}

int aspace_unshare_range(struct aspace *as, uint64_t va, uint64_t end)
{
    return sv39_visit(as->root, va, end, 1, unshare_pre, unshare_l1, 0, 0) ? -1 : 0;
}
