/* The one Sv39 page-table walker (privileged spec 4.3.2, "Virtual Address
 * Translation Process", done in software). */
#include "sv39.h"
#include "memlayout.h"
#include "tlb.h"

static pte_t *table_of(pte_t pte) { return pte_table(pte); }

/* One path down to a single entry: sv39_walk and map_one. */
struct path {
    const struct pt_ops *ops; /* 0: allocate nothing */
    pte_t *found;
};

/* Descend through valid tables; allocate a missing one if allowed. A huge
 * leaf on the way means no entry exists at the level asked for. */
static int path_pre(void *ctx, pte_t *e, int level, uint64_t va)
{
    struct path *p = ctx;
    (void)level, (void)va;
    if (*e & PTE_V)
        return pte_is_leaf(*e) ? -1 : SV39_DESCEND;
    if (!p->ops)
        return -1;
    pte_t *next = p->ops->alloc();
    if (!next)
        return -1;
    /* A non-leaf PTE has R=W=X=0 (spec 4.3.1); hardware sets no A/D on it. */
    *e = pa_to_pte(va_to_pa(next), PTE_V);
    return SV39_DESCEND;
}

static int path_leaf(void *ctx, pte_t *e, uint64_t va)
{
    (void)va;
    ((struct path *)ctx)->found = e;
    return 1;
}

pte_t *sv39_entry(pte_t *root, uint64_t va, int level, const struct pt_ops *ops)
{
    struct path p = {ops, 0};
    sv39_visit(root, va, va + 1, level, path_pre, path_leaf, 0, &p);
    return p.found;
}

pte_t *sv39_walk(pte_t *root, uint64_t va, const struct pt_ops *ops) { return sv39_entry(root, va, 0, ops); }

static int map_one(pte_t *root, uint64_t va, uint64_t pa, int level, uint64_t flags, const struct pt_ops *ops)
{
    pte_t *e = sv39_entry(root, va, level, ops);
    if (!e)
        return -1;
    *e = pa_to_pte(pa, flags | PTE_V | PTE_A | PTE_D);
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

/* Descend into every table; pass every valid leaf to the caller's fn. */
struct each {
    int (*fn)(void *ctx, uint64_t va, pte_t *pte);
    void *ctx;
};

static int tables_only(void *ctx, pte_t *e, int level, uint64_t va)
{
    (void)ctx, (void)level, (void)va;
    return (*e & PTE_V) && !pte_is_leaf(*e) ? SV39_DESCEND : SV39_SKIP;
}

static int each_leaf(void *ctx, pte_t *e, uint64_t va)
{
    struct each *w = ctx;
    return (*e & PTE_V) ? w->fn(w->ctx, va, e) : 0;
}

int sv39_for_each_leaf(pte_t *root, int first, int last, int (*fn)(void *ctx, uint64_t va, pte_t *pte), void *ctx)
{
    struct each w = {fn, ctx};
    return sv39_visit(root, (uint64_t)first << 30, (uint64_t)last << 30, 0, tables_only, each_leaf, 0, &w);
}

static int table_empty(const pte_t *t)
{
    /* Any non-zero entry: a mapping, or a page in swap (mm/swap.h). */
    for (int i = 0; i < PTES_PER_TABLE; i++)
        if (t[i])
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

/* prune visits level-1 entries as its leaves: an entry whose level-0
 * table is empty is detached; after a level-1 table's entries, the root
 * entry is detached if they all are gone. */
static int prune_l1(void *ctx, pte_t *e, uint64_t va)
{
    (void)va;
    if ((*e & PTE_V) && !pte_is_leaf(*e) && table_empty(table_of(*e)))
        detach(ctx, e);
    return 0;
}

static void prune_root(void *ctx, pte_t *e, int level, uint64_t va)
{
    (void)level, (void)va;
    if (table_empty(table_of(*e)))
        detach(ctx, e);
}

void sv39_prune(pte_t *root, uint64_t va, uint64_t end, const struct pt_ops *ops)
{
    struct detached d = {.n = 0, .ops = ops};
    sv39_visit(root, va, end, 1, tables_only, prune_l1, prune_root, &d);
    free_detached(&d);
}
