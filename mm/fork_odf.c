/* On-demand fork (odf): the child shares the parent's level-0 page tables
 * themselves, not only the frames they map.
 *
 *   fork          the child's level-1 entries point at the parent's
 *                 level-0 tables; each table's refcount (in its struct
 *                 page) goes up by one. The first time a table becomes
 *                 shared, its writable leaves lose W and gain PTE_COW, as
 *                 under cow. The frames' refcounts do not change: a frame
 *                 counts the distinct tables that map it, and there is
 *                 still one.
 *   first write   through a shared table: the writer copies the table
 *                 (one reference more on every frame it maps), points its
 *                 own level-1 entry at the copy and drops its reference
 *                 to the shared one (aspace_pte_private, mm/ptshare.c);
 *                 then the COW fault proceeds as under cow.
 *   exit          drops one reference per shared table; the last holder
 *                 drops the frames as well.
 *
 * Sharing a table write-protects it as the cow lab's fork does, so the
 * cow lab's handout cuts that part too: there odf shares no table (every
 * table goes to odf_clone_l0) until the lab is done.
 *
 * A fork therefore costs per 2 MiB of mapped address space, not per page:
 * a table shared before is shared again without reading its entries
 * (PG_WRPROTECTED: none of them has W, `leaves` counts them). */
#include "fork.h"
#include "page.h"
#include "../arch/riscv/memlayout.h"

static int odf_share_l0(struct fork_ctx *fc, pte_t *src, uint64_t va)
{
    (void)va; /* every table is treated alike */
    /* LAB odf BEGIN: share the table: write-protect it the first time (not if MAP_SHARED and W), take a ref */
    struct page *tp = pa_to_page(va_to_pa(src));
    if (!(tp->flags & PG_WRPROTECTED)) {
        /* A writable MAP_SHARED page must stay writable in both: such a
         * table is not shared but cloned (cow's clone_l0 keeps it so). */
        for (int i = 0; i < PTES_PER_TABLE; i++)
            if ((src[i] & (PTE_V | PTE_W | PTE_SHARED)) == (PTE_V | PTE_W | PTE_SHARED))
                return 0;
        /* Not shared now (a shared table is never written), so only this
         * address space, whose lock we hold, reaches it. */
        uint32_t n = 0;
        for (int i = 0; i < PTES_PER_TABLE; i++) {
            pte_t pte = src[i];
            if (!(pte & PTE_V))
                continue;
            if (pte & PTE_W) {
                src[i] = (pte & ~PTE_W) | PTE_COW;
                fc->parent_changed = 1;
            }
            n++;
        }
        tp->leaves = n;
        tp->flags |= PG_WRPROTECTED;
    }
    page_get(tp);
    fc->pages += tp->leaves;
    return 1;
    /* LAB odf STUB
    (void)fc, (void)src;
    return 0;
       LAB odf END */
}

/* For the tables odf_share_l0 declines: those holding a writable
 * MAP_SHARED page. */
static int odf_clone_l0(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va)
{
    return fork_policy_cow.clone_l0(fc, src, dst, va);
}

/* A superpage (mm/superpage.h) is declined (no clone_super): its leaf is
 * split into a table at the first fork, and that table is shared as any
 * other from then on. Sharing the leaf itself would take a reference on
 * each of its 512 frames at every fork, and odf's fork costs per table,
 * not per page. */
const struct fork_policy fork_policy_odf = {"odf", odf_clone_l0, odf_share_l0, FORK_SHARES_ALL | FORK_SHARES_TABLES, 0};
