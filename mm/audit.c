#include "audit.h"
#include "aspace.h"
#include "page.h"
#include "../kernel/printk.h"

struct audit {
    int problems;
    struct aspace *as;
    uint64_t leaves;
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

static int count_leaf(void *ctx, uint64_t va, pte_t *pte)
{
    struct audit *a = ctx;
    pte_t e = *pte;
    uint64_t pa = pte_to_pa(e);
    a->leaves++;
    if (!(e & PTE_U))
        problem(a, "aspace %p va %lx: user-half PTE %lx without U", (void *)a->as, va, e);
    if ((e & PTE_COW) && (e & PTE_W))
        problem(a, "aspace %p va %lx: PTE %lx has both COW and W", (void *)a->as, va, e);
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

int mm_audit(void)
{
    struct audit a = {0, 0, 0};
    spin_lock(&aspace_list_lock);
    for (struct aspace *as = aspace_all; as; as = as->next_all)
        spin_lock(&as->lock);
    page_lock_allocator();

    for (uint64_t i = 0; i < page_db_nframes; i++)
        page_db[i].audit = 0;
    for (struct aspace *as = aspace_all; as; as = as->next_all) {
        a.as = as;
        a.leaves = 0;
        sv39_for_each_leaf(as->root, 0, KERNBASE_ROOT_INDEX, count_leaf, &a);
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
