/* Eager-copy fork, the classic baseline: every user page of the parent is
 * copied into a fresh frame for the child (but a MAP_SHARED page, which
 * both map). The parent is left untouched. */
#include "fork.h"
#include "aspace.h"
#include "page.h"

static int copy_clone_l0(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va)
{
    (void)va;
    for (int i = 0; i < PTES_PER_TABLE; i++) {
        pte_t pte = src[i];
        if (!(pte & PTE_V))
            continue;
        if (pte & PTE_SHARED) {
            /* a MAP_SHARED page: the child maps the same frame */
            page_get(pa_to_page(pte_to_pa(pte)));
            dst[i] = pte;
            fc->pages++;
            continue;
        }
        struct page *pg = user_page_alloc(0);
        if (!pg)
            return -1;
        page_copy(page_va(pg), pa_to_va(pte_to_pa(pte)));
        dst[i] = pa_to_pte(page_to_pa(pg), pte & PTE_FLAGS_MASK);
        fc->pages++;
    }
    return 0;
}

const struct fork_policy fork_policy_copy = {"copy", copy_clone_l0, 0, FORK_COPIES_ALL};
