#include "audit.h"
#include "aspace.h"
#include "page.h"
#include "region.h"
#include "evict.h"
#include "swap.h"
#include "superpage.h"
#include "../include/rvos/usyscall.h"
#include "../kernel/printk.h"

struct audit {
    int problems;
    struct aspace *as;
    uint64_t leaves;
    uint64_t superleaves;
    struct page *table; /* the level-0 table being read */
    struct region *reg; /* the region at or above the leaf being read (leaves come in address order) */
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
static void count_super(struct audit *a, uint64_t va, pte_t e);

static int count_table(void *ctx, pte_t *e, int level, uint64_t va)
{
    struct audit *a = ctx;
    if (level == 1 && pte_is_super(*e)) {
        count_super(a, va, *e);
        return SV39_SKIP;
    }
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

/* A present page must lie in a region that allows what its PTE allows:
 * no W (nor COW, a W to come) where the region is read-only, no X where
 * it is not executable, PTE_SHARED exactly in shared regions. The
 * USYSCALL page has no region (mm/usyscall.c). */
static void check_region(struct audit *a, uint64_t va, pte_t e)
{
    if (va == USYSCALL)
        return;
    while (a->reg && a->reg->end <= va)
        a->reg = a->reg->next;
    struct region *r = a->reg;
    if (!r || r->start > va) {
        problem(a, "aspace %p va %lx: PTE %lx maps a page no region reserves", (void *)a->as, va, e);
        return;
    }
    pte_t allowed = r->prot | ((r->prot & PTE_W) ? PTE_COW : 0);
    if (e & (PTE_R | PTE_W | PTE_X | PTE_COW) & ~allowed)
        problem(a, "aspace %p va %lx: PTE %lx allows more than its region (prot %x)", (void *)a->as, va, e, r->prot);
    if (!(e & PTE_SHARED) != !(r->flags & REGION_SHARED))
        problem(a, "aspace %p va %lx: PTE %lx: PTE_SHARED disagrees with its region", (void *)a->as, va, e);
    if ((e & PTE_SHARED) && (e & PTE_COW))
        problem(a, "aspace %p va %lx: PTE %lx is both shared and COW", (void *)a->as, va, e);
}

static int count_leaf(void *ctx, pte_t *pte, uint64_t va)
{
    struct audit *a = ctx;
    pte_t e = *pte;
    if (!(e & PTE_V)) {
        if (pte_is_swap(e)) {
            /* A page in swap: reserved by a region, naming a slot in use. */
            check_region(a, va, PTE_R);
            if (a->first_visit && swap_audit_note(pte_swap_slot(e)) < 0)
                problem(a, "aspace %p va %lx: swap PTE %lx names a slot not in use", (void *)a->as, va, e);
        } else if (e) {
            problem(a, "aspace %p va %lx: absent PTE %lx is neither zero nor a swap PTE", (void *)a->as, va, e);
        }
        return 0;
    }
    check_region(a, va, e);
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
    if (evict_active() && va != USYSCALL && !(pg->flags & (PG_LRU | PG_EVICTING)))
        problem(a, "aspace %p va %lx: frame %lx is mapped but not on the eviction list", (void *)a->as, va, pa);
    return 0;
}

/* A superpage (mm/superpage.h): a level-1 leaf in a private table, its
 * 2 MiB inside one region that allows it, its frames 512 in a row from an
 * aligned one, each counting this mapping once. */
static void count_super(struct audit *a, uint64_t va, pte_t e)
{
    uint64_t pa = pte_to_pa(e);
    check_region(a, va, e);
    if (a->reg && a->reg->start <= va && a->reg->end - va < SUPER_BYTES)
        problem(a, "aspace %p va %lx: superpage %lx reaches past its region's end %lx", (void *)a->as, va, e,
                a->reg->end);
    if ((va | pa) & (SUPER_BYTES - 1))
        problem(a, "aspace %p va %lx: superpage %lx misaligned", (void *)a->as, va, e);
    if (!(e & PTE_U) || ((e & PTE_COW) && (e & PTE_W)) || (e & PTE_SHARED))
        problem(a, "aspace %p va %lx: superpage PTE %lx has wrong flags", (void *)a->as, va, e);
    a->leaves += SUPER_FRAMES;
    a->superleaves++;
    for (uint64_t k = 0; k < SUPER_FRAMES; k++, pa += PAGE_SIZE) {
        if (!pa_is_managed(pa)) {
            problem(a, "aspace %p va %lx: superpage maps unmanaged frame %lx", (void *)a->as, va, pa);
            return;
        }
        struct page *pg = pa_to_page(pa);
        if (!(pg->flags & PG_USER))
            problem(a, "aspace %p va %lx: superpage frame %lx lacks PG_USER (flags %x)", (void *)a->as, va, pa,
                    pg->flags);
        pg->audit++;
        if (evict_active() && !(pg->flags & (PG_LRU | PG_EVICTING)))
            problem(a, "aspace %p va %lx: superpage frame %lx is not on the eviction list", (void *)a->as, va, pa);
    }
}

static uint32_t wrprotected_leaves(const pte_t *t)
{
    uint32_t n = 0;
    for (int i = 0; i < PTES_PER_TABLE; i++)
        n += (t[i] & PTE_V) != 0;
    return n;
}

/* The region list: sorted, page aligned, apart, in user space, counted,
 * the heap one of them; every file reference at most what the file has. */
static void check_regions(struct audit *a, struct aspace *as)
{
    int n = 0, heap_seen = 0;
    uint64_t prev_end = 0;
    for (struct region *r = as->regions; r; r = r->next, n++) {
        if ((r->start | r->end) & (PAGE_SIZE - 1) || r->start < prev_end || r->end < r->start || r->end > USER_TOP)
            problem(a, "aspace %p: region [%lx, %lx) misplaced (previous ends at %lx)", (void *)as, r->start, r->end,
                    prev_end);
        if ((r->prot & PTE_W) && !(r->prot & PTE_R))
            problem(a, "aspace %p: region [%lx, %lx) writable but not readable", (void *)as, r->start, r->end);
        heap_seen |= r == as->heap;
        prev_end = r->end;
        if (!r->file)
            continue;
        uint64_t holders = 0;
        for (struct aspace *o = aspace_all; o; o = o->next_all)
            for (struct region *x = o->regions; x; x = x->next)
                holders += x->file == r->file;
        if (holders > vm_file_ops->refs(r->file))
            problem(a, "aspace %p: region [%lx, %lx): %lu regions hold a file that has %lu references", (void *)as,
                    r->start, r->end, holders, vm_file_ops->refs(r->file));
    }
    if (n != as->nregions || (as->heap && !heap_seen))
        problem(a, "aspace %p: %d regions listed, %d counted, heap %s", (void *)as, n, as->nregions,
                heap_seen ? "listed" : "missing");
}

int mm_audit(void)
{
    struct audit a = {0};
    spin_lock(&aspace_list_lock);
    for (struct aspace *as = aspace_all; as; as = as->next_all)
        spin_lock(&as->lock);
    page_lock_allocator();

    for (uint64_t i = 0; i < page_db_nframes; i++)
        page_db[i].audit = 0;
    swap_audit_begin();
    for (struct aspace *as = aspace_all; as; as = as->next_all) {
        a.as = as;
        a.leaves = 0;
        a.superleaves = 0;
        a.reg = as->regions;
        check_regions(&a, as);
        sv39_visit(as->root, 0, (uint64_t)KERNBASE_ROOT_INDEX << 30, 0, count_table, count_leaf, 0, &a);
        if (a.leaves != as->resident)
            problem(&a, "aspace %p: %lu pages mapped but resident says %lu", (void *)as, a.leaves, as->resident);
        uint64_t deposits = 0;
        for (pte_t *t = as->deposits; t && deposits <= a.superleaves; t = *(pte_t **)t)
            deposits++;
        if (deposits != a.superleaves || deposits != as->ndeposits)
            problem(&a, "aspace %p: %lu superleaves but %lu tables set aside (%lu counted)", (void *)as, a.superleaves,
                    deposits, as->ndeposits);
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
            /* The evictor holds one reference of its own while it unmaps
             * and writes a frame out. */
            uint32_t want = pg->audit + ((pg->flags & PG_EVICTING) ? 1 : 0);
            if (ref != want && !(pg->flags & PG_EVICTING && ref < want))
                problem(&a, "frame %lx: refcount %u but %u user mappings", pa, ref, pg->audit);
        }
    }
    /* Every slot's count is its swap PTEs (each counted once: a shared
     * table's on its first visit) plus the holds of evictions and swap-ins
     * under way: none is named by more PTEs than it counts, and what the
     * counts hold beyond the PTEs is exactly those holds. */
    uint64_t bad_slot, extra = swap_audit_end(&bad_slot);
    if (bad_slot != SWAP_NONE)
        problem(&a, "swap slot %lu: named by more swap PTEs than its count %u", bad_slot, swap_count(bad_slot));
    if (extra != swap_holds())
        problem(&a, "swap: slot counts exceed their swap PTEs by %lu, but %lu holds are under way", extra,
                swap_holds());
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
