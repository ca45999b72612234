#include "audit.h"
#include "aspace.h"
#include "page.h"
#include "../kernel/printk.h"

struct audit {
    int problems;
    struct aspace *as;
    uint64_t leaves;
    struct page *table; /* the level-0 table being read */
    int first_visit;    /* its frames are counted on its first visit only */
};

__attribute__((format(printf, 2, 3))) static void problem(struct audit *a, const char *fmt, ...)
{
    if (a->problems++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        printk("mm audit: ");
        vprintk(fmt, ap);
        printk("\n");
        va_end(ap);
    }
}

/* Every table entry counts one reference to the table it points at. A
 * level-0 table shared by several address spaces (odf) is read once per
 * holder, but its frames count one mapping each: a frame's count is the
 * number of distinct tables that map it. */
static int count_table(void *ctx, pte_t *e, int level, uint64_t va)
{
    struct audit *a = ctx;
    (void)va;
    if (!(*e & PTE_V) || pte_is_leaf(*e))
        return SV39_SKIP;
    struct page *tp = pa_to_page(pte_to_pa(*e));
    if (!(tp->flags & PG_PAGETABLE))
        problem(a, "aspace %p va %lx: level-%d entry %lx points at a frame that is no page table", (void *)a->as, va,
                level, *e);
    tp->audit++;
    a->table = tp;
    a->first_visit = tp->audit == 1;
    return SV39_DESCEND;
}

static int count_leaf(void *ctx, pte_t *pte, uint64_t va)
{
    struct audit *a = ctx;
    pte_t e = *pte;
    if (!(e & PTE_V))
        return 0;
    uint64_t pa = pte_to_pa(e);
    a->leaves++;
    if (!(e & PTE_U))
        problem(a, "aspace %p va %lx: user-half PTE %lx without U", (void *)a->as, va, e);
    if ((e & PTE_COW) && (e & PTE_W))
        problem(a, "aspace %p va %lx: PTE %lx has both COW and W", (void *)a->as, va, e);
    if ((e & PTE_W) && (page_refcount(a->table) > 1 || (a->table->flags & PG_WRPROTECTED)))
        problem(a, "aspace %p va %lx: PTE %lx has W in a %s table", (void *)a->as, va, e,
                page_refcount(a->table) > 1 ? "shared" : "write-protected");
    if (!a->first_visit)
        return 0;
    if (!pa_is_managed(pa)) {
        problem(a, "aspace %p va %lx: maps unmanaged frame %lx", (void *)a->as, va, pa);
        return 0;
    }
    struct page *pg = pa_to_page(pa);
    if (!(pg->flags & PG_USER))
        problem(a, "aspace %p va %lx: frame %lx mapped but flags %x lack PG_USER", (void *)a->as, va, pa, pg->flags);
    pg->audit++;
    return 0;
}

static uint32_t wrprotected_leaves(const pte_t *t)
{
    uint32_t n = 0;
    for (int i = 0; i < PTES_PER_TABLE; i++)
        n += (t[i] & PTE_V) != 0;
    return n;
}

int mm_audit(void)
{
    struct audit a = {0, 0, 0, 0, 0};
    spin_lock(&aspace_list_lock);
    for (struct aspace *as = aspace_all; as; as = as->next_all)
        spin_lock(&as->lock);
    page_lock_allocator();

    for (uint64_t i = 0; i < page_db_nframes; i++)
        page_db[i].audit = 0;
    for (struct aspace *as = aspace_all; as; as = as->next_all) {
        a.as = as;
        a.leaves = 0;
        sv39_visit(as->root, 0, (uint64_t)KERNBASE_ROOT_INDEX << 30, 0, count_table, count_leaf, 0, &a);
        if (a.leaves != as->resident)
            problem(&a, "aspace %p: %lu pages mapped but resident says %lu", (void *)as, a.leaves, as->resident);
    }
    uint64_t free_seen = 0;
    for (uint64_t i = 0; i < page_db_nframes; i++) {
        struct page *pg = &page_db[i];
        uint64_t pa = page_to_pa(pg);
        uint32_t ref = page_refcount(pg);
        if (pg->flags & PG_RESERVED)
            continue;
        if (pg->flags & PG_FREE) {
            free_seen++;
            if (ref != 0 || pg->audit != 0)
                problem(&a, "free frame %lx has refcount %u and %u mappings", pa, ref, pg->audit);
        } else if ((pg->flags & PG_PAGETABLE) && pg->audit) {
            /* a user page table: its count is the entries pointing at it */
            if (ref != pg->audit)
                problem(&a, "page table %lx: refcount %u but %u entries point at it", pa, ref, pg->audit);
            if ((pg->flags & PG_WRPROTECTED) && pg->leaves != wrprotected_leaves(pa_to_va(pa)))
                problem(&a, "page table %lx: write-protected with %u leaves, but %u are valid", pa, pg->leaves,
                        wrprotected_leaves(pa_to_va(pa)));
        } else if (pg->flags & PG_USER) {
            if (ref != pg->audit)
                problem(&a, "frame %lx: refcount %u but %u user mappings", pa, ref, pg->audit);
        }
    }
    uint64_t listed = page_free_list_length();
    if (free_seen != page_free_count() || listed != free_seen)
        problem(&a, "free count %lu, frames marked free %lu, free list length %lu", page_free_count(), free_seen,
                listed);

    page_unlock_allocator();
    for (struct aspace *as = aspace_all; as; as = as->next_all)
        spin_unlock(&as->lock);
    spin_unlock(&aspace_list_lock);
    return a.problems;
}
