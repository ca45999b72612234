/* Copy-on-write fork: the child gets the parent's frames, not copies.
 *
 *   writable page   parent and child both lose W and gain PTE_COW; the
 *                   frame's refcount goes up by one. The first store by
 *                   either takes a page fault (mm/fault.c).
 *   read-only page  (text, rodata) shared as it is; it never becomes
 *                   writable, so it needs no COW mark.
 *   shared page     (PTE_SHARED, a MAP_SHARED mapping) shared as it is,
 *                   writable: stores are meant to be seen by both.
 */
#include "fork.h"
#include "page.h"
#include "superpage.h"
#include "../arch/riscv/memlayout.h"

static int cow_clone_l0(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va)
{
    (void)va; /* every table is treated alike */
    /* LAB cow BEGIN: share each mapped frame: writable PTEs lose W, gain PTE_COW (both sides); one ref per child PTE */
    struct page_map m = page_map_get();
    uint64_t n = 0;
    int changed = 0;
#pragma GCC unroll 4
    for (int i = 0; i < PTES_PER_TABLE; i++) {
        pte_t pte = src[i];
        if (!(pte & PTE_V))
            continue;
        if ((pte & (PTE_W | PTE_SHARED)) == PTE_W) {
            pte = (pte & ~PTE_W) | PTE_COW;
            src[i] = pte;
            changed = 1;
        }
        dst[i] = pte;
        page_get(pte_page(m, pte));
        n++;
    }
    fc->pages += n;
    fc->parent_changed |= changed;
    return 0;
    /* LAB cow STUB
    return fork_policy_copy.clone_l0(fc, src, dst, va);
       LAB cow END */
}

/* A superpage is shared whole, as a page is: one leaf for both, COW if
 * writable; each of its frames gets the child's reference. A store by
 * either splits its leaf, then breaks the one page (mm/superpage.h). */
static int cow_clone_super(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va)
{
    (void)va;
    /* LAB cow BEGIN: share the superpage: a writable leaf loses W, gains PTE_COW (both sides); one ref per frame */
    pte_t pte = *src;
    if (superpage_share(fc->child, pte) < 0)
        return -1;
    if ((pte & (PTE_W | PTE_SHARED)) == PTE_W) {
        pte = (pte & ~PTE_W) | PTE_COW;
        *src = pte;
        fc->parent_changed = 1;
    }
    *dst = pte;
    fc->pages += SUPER_FRAMES;
    return 1;
    /* LAB cow STUB
    (void)fc, (void)src, (void)dst;
    return 0;
       LAB cow END */
}

const struct fork_policy fork_policy_cow = {"cow", cow_clone_l0, 0, FORK_SHARES_ALL, cow_clone_super};
