/* Eager-copy fork, the classic baseline: every user page of the parent is
 * copied into a fresh frame for the child (but a MAP_SHARED page, which
 * both map). The parent is left untouched. */
#include "fork.h"
#include "aspace.h"
#include "page.h"
#include "evict.h"
#include "superpage.h"
#include "../kernel/spinlock.h"

/* Copying one level-0 table's 512 pages takes about a million
 * instructions (two on the debug kernel), a whole fork of a large process
 * many timer periods, all with the parent's spin lock held and so with
 * interrupts off. Every COPY_BATCH pages the lock is let go for a moment,
 * so that a timer or device interrupt waiting behind it is taken (and the
 * process may be preempted there). Nothing the walk relies on can change
 * meanwhile: only the parent changes its own page tables, and it is here;
 * the child's tables are seen by nobody but the audit, which holds the
 * parent's lock while it reads them, so they do not change under it; and
 * copy shares no table with anyone. */
#define COPY_BATCH 128
static int copy_clone_l0(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va)
{
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
        evict_track(fc->child, va + ((uint64_t)i << PAGE_SHIFT), pg);
        fc->pages++;
        if (i % COPY_BATCH == COPY_BATCH - 1)
            fork_let_interrupts_in(fc);
    }
    return 0;
}

/* A superpage: the child gets one of its own, a copy, if a run of frames
 * is free; otherwise the parent's is split and copied page by page. Runs
 * are taken a batch at a time: as many as the superpages left in this
 * level-1 table (src points into it), at most SUPER_BATCH. */
static int copy_clone_super(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va)
{
    if (!fc->nruns) {
        int want = 0, left = PTES_PER_TABLE - (int)VPN(va, 1);
        for (int i = 0; i < left && want < SUPER_BATCH; i++)
            want += pte_is_super(src[i]);
        fc->nruns = superpage_runs(fc->runs, want, 0);
    }
    if (!fc->nruns || superpage_deposit(fc->child) < 0)
        return 0;
    /* From the end: those left are the last, given back by the fork. */
    struct page *run = fc->runs[--fc->nruns], *from = superpage_first(*src);
    for (uint64_t k = 0; k < SUPER_FRAMES; k++) {
        page_copy(page_va(&run[k]), page_va(&from[k]));
        if (k % COPY_BATCH == COPY_BATCH - 1)
            fork_let_interrupts_in(fc);
    }
    /* User frames only now that the leaf maps them: the audit may have
     * looked in the gaps above. */
    *dst = pa_to_pte(page_to_pa(run), *src & PTE_FLAGS_MASK);
    superpage_mapped(fc->child, va, run);
    fc->pages += SUPER_FRAMES;
    return 1;
}

const struct fork_policy fork_policy_copy = {"copy", copy_clone_l0, 0, FORK_COPIES_ALL, copy_clone_super};
