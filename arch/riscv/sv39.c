/* The one Sv39 page-table walker (privileged spec 4.3.2, "Virtual Address
 * Translation Process", done in software). */
#include "sv39.h"
#include "memlayout.h"
#include "tlb.h"

static pte_t *table_of(pte_t pte) { return (pte_t *)pa_to_va(pte_to_pa(pte)); }

pte_t *sv39_walk(pte_t *root, uint64_t va, const struct pt_ops *ops)
{
    pte_t *table = root;
    for (int level = 2; level > 0; level--) {
        pte_t *pte = &table[VPN(va, level)];
        if (*pte & PTE_V) {
            if (pte_is_leaf(*pte))
                return 0; /* a huge page: no level-0 entry exists */
            table = table_of(*pte);
            continue;
        }
        if (!ops)
            return 0;
        pte_t *next = ops->alloc();
        if (!next)
            return 0;
        /* A non-leaf PTE has R=W=X=0 (spec 4.3.1); hardware sets no A/D on it. */
        *pte = pa_to_pte(va_to_pa(next), PTE_V);
        table = next;
    }
    return &table[VPN(va, 0)];
}

static int map_one(pte_t *root, uint64_t va, uint64_t pa, int level, uint64_t flags, const struct pt_ops *ops)
{
    pte_t *table = root;
    for (int l = 2; l > level; l--) {
        pte_t *pte = &table[VPN(va, l)];
        if (!(*pte & PTE_V)) {
            pte_t *next = ops->alloc();
            if (!next)
                return -1;
            *pte = pa_to_pte(va_to_pa(next), PTE_V);
        }
        table = table_of(*pte);
    }
    table[VPN(va, level)] = pa_to_pte(pa, flags | PTE_V | PTE_A | PTE_D);
    return 0;
}

int sv39_map_range(pte_t *root, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags, int huge,
                   const struct pt_ops *ops)
{
    uint64_t end = va + size;
    while (va < end) {
        int level = 0;
        for (int l = 2; huge && l > 0; l--) {
            uint64_t sz = LEVEL_SIZE(l);
            if ((va & (sz - 1)) == 0 && (pa & (sz - 1)) == 0 && end - va >= sz) {
                level = l;
                break;
            }
        }
        if (map_one(root, va, pa, level, flags, ops))
            return -1;
        va += LEVEL_SIZE(level);
        pa += LEVEL_SIZE(level);
    }
    return 0;
}

int sv39_for_each_leaf(pte_t *root, int first, int last, int (*fn)(void *ctx, uint64_t va, pte_t *pte), void *ctx)
{
    for (int i = first; i < last; i++) {
        if (!(root[i] & PTE_V) || pte_is_leaf(root[i]))
            continue;
        pte_t *l1 = table_of(root[i]);
        for (int j = 0; j < PTES_PER_TABLE; j++) {
            if (!(l1[j] & PTE_V) || pte_is_leaf(l1[j]))
                continue;
            pte_t *l0 = table_of(l1[j]);
            for (int k = 0; k < PTES_PER_TABLE; k++) {
                if (!(l0[k] & PTE_V))
                    continue;
                uint64_t va = ((uint64_t)i << 30) | ((uint64_t)j << 21) | ((uint64_t)k << 12);
                int r = fn(ctx, va, &l0[k]);
                if (r)
                    return r;
            }
        }
    }
    return 0;
}

static int table_empty(const pte_t *t)
{
    for (int i = 0; i < PTES_PER_TABLE; i++)
        if (t[i] & PTE_V)
            return 0;
    return 1;
}

/* Table pages detached by prune wait here until a full sfence.vma has
 * dropped every cached pointer to them; then they are freed. */
struct detached {
    pte_t *tables[16];
    int n;
    const struct pt_ops *ops;
};

/* Privileged spec 4.2.1: "SFENCE.VMA ... rs1=x0 orders all reads and
 * writes to any level of the page table"; with rs1 = va it may keep the
 * non-leaf entries a hart cached on the way to va (the walk cache). A
 * page-table page may therefore be reused only after a flush of everything,
 * never after the per-page flushes that suffice for leaves. */
static void free_detached(struct detached *d)
{
    if (!d->n)
        return;
    tlb_flush_all();
    for (int i = 0; i < d->n; i++)
        d->ops->free(d->tables[i]);
    d->n = 0;
}

static void detach(struct detached *d, pte_t *entry)
{
    if (d->n == (int)(sizeof d->tables / sizeof d->tables[0]))
        free_detached(d);
    d->tables[d->n++] = table_of(*entry);
    *entry = 0;
}

void sv39_prune(pte_t *root, uint64_t va, uint64_t end, const struct pt_ops *ops)
{
    struct detached d = {.n = 0, .ops = ops};
    for (va &= ~(LEVEL_SIZE(1) - 1); va < end; va += LEVEL_SIZE(1)) {
        pte_t *r = &root[VPN(va, 2)];
        if (!(*r & PTE_V) || pte_is_leaf(*r))
            continue;
        pte_t *l1 = table_of(*r);
        pte_t *e = &l1[VPN(va, 1)];
        if ((*e & PTE_V) && !pte_is_leaf(*e) && table_empty(table_of(*e)))
            detach(&d, e);
        /* at the last 2 MiB of this gigabyte, or of the range */
        if ((VPN(va, 1) == PTES_PER_TABLE - 1 || va + LEVEL_SIZE(1) >= end) && table_empty(l1))
            detach(&d, r);
    }
    free_detached(&d);
}
