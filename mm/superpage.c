/* Superpages: 2 MiB leaves for large anonymous memory (mm/superpage.h). */
#include "superpage.h"
#include "aspace.h"
#include "evict.h"
#include "kmap.h"
#include "mmstat.h"
#include "region.h"
#include "../arch/riscv/tlb.h"
#include "../kernel/panic.h"
#include "../kernel/string.h"

int superpages_on = 1;

int superpage_select(const char *value)
{
    if (strcmp(value, "on") == 0)
        superpages_on = 1;
    else if (strcmp(value, "off") == 0)
        superpages_on = 0;
    else
        return -1;
    return 0;
}

pte_t *superpage_leaf(struct aspace *as, uint64_t va)
{
    pte_t *e = sv39_entry(as->root, va, 1, 0);
    return e && pte_is_super(*e) ? e : 0;
}

/* Whether region r may have a superpage at the aligned va: anonymous,
 * private, writable memory covering the whole 2 MiB. */
static int super_region(const struct region *r, uint64_t va)
{
    return r && !r->file && !(r->flags & REGION_SHARED) && (r->prot & PROT_W) && r->kind != REGION_GUARD &&
           r->start <= va && va < r->end && r->end - va >= SUPER_BYTES;
}

/* Each superleaf of an address space has a level-0 table set aside for
 * it (its deposit): splitting takes it, so a split allocates nothing and
 * cannot fail, and free memory reads the same with superpages on or off
 * (a 2 MiB block mapped page by page needs that table too). The deposits
 * are a list through each table's first word, as->ndeposits long: the
 * number of superleaves as has. */
int superpage_deposit(struct aspace *as)
{
    pte_t *t = pt_ops.alloc();
    if (!t)
        return -1;
    *(pte_t **)t = as->deposits;
    as->deposits = t;
    as->ndeposits++;
    return 0;
}

static pte_t *deposit_take(struct aspace *as)
{
    pte_t *t = as->deposits;
    if (!t)
        panic("superpage: aspace %p has a superleaf but no table set aside for it", (void *)as);
    as->deposits = *(pte_t **)t;
    as->ndeposits--;
    t[0] = 0;
    return t;
}

void superpage_deposits_free(struct aspace *as)
{
    while (as->deposits)
        pt_ops.free(deposit_take(as));
}

int superpage_runs(struct page **runs, int want, int zero)
{
    /* Each run comes with a table set aside for it. */
    while (want > 0 && !evict_may_alloc_n((uint64_t)want * (SUPER_FRAMES + 1)))
        want--;
    return page_alloc_supers(runs, want, zero);
}

void superpage_mapped(struct aspace *as, uint64_t va, struct page *run)
{
    for (uint64_t k = 0; k < SUPER_FRAMES; k++) {
        run[k].flags |= PG_USER;
        evict_track(as, va + k * PAGE_SIZE, &run[k]);
    }
    mm_count(&mm_counters.superpages_made);
}

/* The first of the (at most SUPER_BATCH) blocks from va on that r may have
 * as superpages, up to end, whose level-1 entries are empty: how many. */
static int blocks_free(struct aspace *as, struct region *r, uint64_t va, uint64_t end, pte_t **entries)
{
    int n = 0;
    for (; n < SUPER_BATCH && end - va >= SUPER_BYTES && super_region(r, va); n++, va += SUPER_BYTES) {
        pte_t *e = sv39_entry(as->root, va, 1, &pt_ops);
        if (!e || *e)
            break;
        entries[n] = e;
    }
    return n;
}

uint64_t superpage_fill(struct aspace *as, struct region *r, uint64_t va, uint64_t end)
{
    if (!superpages_on || (va & (SUPER_BYTES - 1)))
        return 0;
    uint64_t done = 0;
    for (;;) {
        pte_t *entries[SUPER_BATCH];
        struct page *runs[SUPER_BATCH];
        int got = superpage_runs(runs, blocks_free(as, r, va + done, end, entries), PAGE_ZERO), i = 0;
        for (; i < got && superpage_deposit(as) == 0; i++, done += SUPER_BYTES) {
            /* Mapped with A and D, as every filled page is (mm/fill.c). */
            *entries[i] = pa_to_pte(page_to_pa(runs[i]), r->prot | PTE_U | PTE_V | PTE_A | PTE_D);
            as->resident += SUPER_FRAMES;
            superpage_mapped(as, va + done, runs[i]);
        }
        for (int j = i; j < got; j++) /* no table could be set aside */
            superpage_free_run(runs[j]);
        if (i < SUPER_BATCH)
            return done;
    }
}

void superpage_split(struct aspace *as, pte_t *e, uint64_t va)
{
    pte_t *t = deposit_take(as);
    va &= ~(uint64_t)(SUPER_BYTES - 1);
    /* Atomic: the hardware may set A or D in the leaf meanwhile, and the
     * table must carry them. A translation of the old leaf that a hart
     * still caches maps the same frames with the same rights as the new
     * table does; whoever changes one of the 512 PTEs later flushes its
     * page, which drops the superpage's translation too (privileged spec,
     * SFENCE.VMA: every entry "that contains that virtual address"). */
    pte_t leaf = __atomic_load_n(e, __ATOMIC_RELAXED);
    uint64_t pa = pte_to_pa(leaf), flags = leaf & PTE_FLAGS_MASK;
    for (uint64_t k = 0; k < PTES_PER_TABLE; k++)
        t[k] = pa_to_pte(pa + k * PAGE_SIZE, flags);
    pte_t table = pa_to_pte(va_to_pa(t), PTE_V);
    while (!__atomic_compare_exchange_n(e, &leaf, table, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
        flags = leaf & PTE_FLAGS_MASK; /* A or D came meanwhile */
        for (uint64_t k = 0; k < PTES_PER_TABLE; k++)
            t[k] = pa_to_pte(pa + k * PAGE_SIZE, flags);
    }
    mm_count(&mm_counters.superpage_splits);
}

void superpage_split_edges(struct aspace *as, uint64_t va, uint64_t end)
{
    uint64_t edges[2] = {va, end - 1};
    for (int i = 0; i < 2 && va < end; i++) {
        uint64_t base = edges[i] & ~(uint64_t)(SUPER_BYTES - 1);
        if (base >= va && base + SUPER_BYTES <= end)
            continue; /* covered whole: it goes at once */
        pte_t *e = superpage_leaf(as, edges[i]);
        if (e)
            superpage_split(as, e, edges[i]);
    }
}

void superpage_free_run(struct page *run)
{
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        page_put(&run[k]);
}

void superpage_drop(struct aspace *as, pte_t *e)
{
    superpage_free_run(superpage_first(*e));
    *e = 0;
    as->resident -= SUPER_FRAMES;
    pt_ops.free(deposit_take(as));
}

int superpage_share(struct aspace *child, pte_t e)
{
    if (superpage_deposit(child) < 0)
        return -1;
    struct page *run = superpage_first(e);
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        page_get(&run[k]);
    return 0;
}
