/* Superpages: 2 MiB leaves for large anonymous memory (mm/superpage.h). */
#include "superpage.h"
#include "aspace.h"
#include "evict.h"
#include "kmap.h"
#include "mmstat.h"
#include "region.h"
#include "../arch/riscv/tlb.h"
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
           r->start <= va && r->end - va >= SUPER_BYTES;
}

int superpage_fill(struct aspace *as, struct region *r, uint64_t va)
{
    if (!superpages_on || (va & (SUPER_BYTES - 1)) || !super_region(r, va) || !evict_may_alloc_n(SUPER_FRAMES))
        return 0;
    pte_t *e = sv39_entry(as->root, va, 1, &pt_ops);
    if (!e || *e)
        return 0;
    struct page *run = page_alloc_super(PAGE_ZERO);
    if (!run)
        return 0;
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        run[k].flags |= PG_USER;
    /* Mapped with A and D, as every filled page is (mm/fill.c). */
    *e = pa_to_pte(page_to_pa(run), r->prot | PTE_U | PTE_V | PTE_A | PTE_D);
    as->resident += SUPER_FRAMES;
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        evict_track(as, va + k * PAGE_SIZE, &run[k]);
    mm_count(&mm_counters.superpages_made);
    return 1;
}

int superpage_split(struct aspace *as, pte_t *e, uint64_t va)
{
    (void)as;
    pte_t *t = pt_ops.alloc();
    if (!t)
        return -1;
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
    return 0;
}

int superpage_split_edges(struct aspace *as, uint64_t va, uint64_t end)
{
    uint64_t edges[2] = {va, end - 1};
    for (int i = 0; i < 2 && va < end; i++) {
        uint64_t base = edges[i] & ~(uint64_t)(SUPER_BYTES - 1);
        if (base >= va && base + SUPER_BYTES <= end)
            continue; /* covered whole: it goes at once */
        pte_t *e = superpage_leaf(as, edges[i]);
        if (e && superpage_split(as, e, edges[i]) < 0)
            return -1;
    }
    return 0;
}

void superpage_put(pte_t e)
{
    struct page *run = superpage_first(e);
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        page_put(&run[k]);
}

void superpage_get(pte_t e)
{
    struct page *run = superpage_first(e);
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        page_get(&run[k]);
}
