/* The user page-fault handler: where copy-on-write, demand paging and
 * swap-in happen. */
#include "vm.h"
#include "aspace.h"
#include "mmstat.h"
#include "page.h"
#include "region.h"
#include "evict.h"
#include "swap.h"
#include "superpage.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/tlb.h"

enum vm_result vm_cow_break(struct aspace *as, uint64_t va, pte_t *pte, int will_overwrite)
{
    /* LAB cow BEGIN: last owner: make the frame writable again; otherwise copy it to a fresh frame, drop the old one */
    (void)as;
    struct page *old = pa_to_page(pte_to_pa(*pte));
    uint64_t flags = (*pte & PTE_FLAGS_MASK & ~PTE_COW) | PTE_W | PTE_D | PTE_A;
    mm_count(&mm_counters.cow_faults);
    /* Last owner: nobody else maps the frame, and nobody can start to
     * (only a fork of this very address space could, and we hold its
     * lock), so it can simply become writable again. Acquire: the other
     * owner's last accesses to the frame, before its page_put (a release),
     * happen before our writes to it. */
    if (page_refcount_acquire(old) == 1) {
        *pte = pa_to_pte(page_to_pa(old), flags);
        mm_count(&mm_counters.pages_reused);
    } else {
        struct page *new = user_page_alloc(0);
        if (!new) {
            mm_count(&mm_counters.oom_kills);
            return VM_NO_MEMORY;
        }
        if (!will_overwrite)
            page_copy(page_va(new), page_va(old));
        *pte = pa_to_pte(page_to_pa(new), flags);
        page_put(old);
        mm_count(&mm_counters.pages_copied);
    }
    /* The old read-only translation can only be cached by this hart: the
     * address space runs nowhere else, and each satp switch flushes. */
    tlb_flush_page(va);
    return VM_OK;
    /* LAB cow STUB
    (void)as, (void)va, (void)pte, (void)will_overwrite;
    return VM_BAD_ADDRESS;
       LAB cow END */
}

enum vm_result vm_fault_absent(struct aspace *as, uint64_t va, enum vm_access access)
{
    /* LAB lazy BEGIN: only a region that allows this access may be filled (the guard page allows none) */
    struct region *r = region_find(as, va);
    uint32_t need = access == VM_WRITE ? PROT_W : access == VM_EXEC ? PROT_X : PROT_R;
    if (!r || !(r->prot & need))
        return VM_BAD_ADDRESS;
    enum vm_result res = vm_fill_locked(as, r, va);
    if (res == VM_OK)
        mm_count(&mm_counters.lazy_faults);
    else if (res == VM_NO_MEMORY)
        mm_count(&mm_counters.oom_kills);
    return res;
    /* LAB lazy STUB
    (void)as, (void)va, (void)access;
    return VM_BAD_ADDRESS;
       LAB lazy END */
}

/* One attempt. evicting is a constant at each call: without eviction
 * the fast path has nothing to tell the evictor. */
static inline __attribute__((always_inline)) enum vm_result fault_once(struct aspace *as, uint64_t va,
                                                                       enum vm_access access, int evicting)
{
    enum vm_result r = VM_BAD_ADDRESS;
    spin_lock(&as->lock);
    pte_t *pte = sv39_walk(as->root, va, 0);
    if (!pte) {
        /* A fault in a superpage: a store to a COW one, or a stale
         * translation. Split it and handle the one page. */
        pte_t *leaf = superpage_leaf(as, va);
        if (leaf) {
            superpage_split(as, leaf, va);
            pte = sv39_walk(as->root, va, 0);
        }
    }
    if (!pte || !(*pte & PTE_V)) {
        /* absent (the region may fill it), or in swap */
        r = pte && pte_is_swap(*pte) ? vm_swap_in_locked(as, va, access) : vm_fault_absent(as, va, access);
        spin_unlock(&as->lock);
        return r;
    }
    /* A store to a COW page changes its PTE: a table shared with another
     * address space (odf) is copied first. */
    if (access == VM_WRITE && (*pte & (PTE_U | PTE_COW)) == (PTE_U | PTE_COW) && !pte_table_private(pte) &&
        !(pte = aspace_pte_private(as, va, 0))) {
        mm_count(&mm_counters.oom_kills);
        spin_unlock(&as->lock);
        return VM_NO_MEMORY;
    }
    if (*pte & PTE_U) { /* valid: checked above (a table copy keeps it so) */
        uint64_t need = access == VM_WRITE ? PTE_W : access == VM_EXEC ? PTE_X : PTE_R;
        /* Only a valid leaf can be a stale translation. W without R is
         * reserved (privileged spec, Sv39 PTE format: "reserved for future
         * use") and faults on every access: retrying would loop for ever. */
        int leaf = (*pte & (PTE_R | PTE_X)) && !((*pte & PTE_W) && !(*pte & PTE_R));
        if (leaf && (*pte & need)) {
            /* Allowed already. Hardware that traps when A is clear, or D
             * on a store (Svade, privileged spec 4.3.1), lands here: set
             * them as the hardware would (QEMU updates them itself, like
             * Svadu). Otherwise a stale translation from before an
             * upgrade: dropping it is all it takes. */
            pte_t want = PTE_A | (access == VM_WRITE ? PTE_D : 0);
            if ((*pte & want) != want && pte_table_private(pte))
                *pte |= want;
            tlb_flush_page(va);
            r = VM_OK;
        } else if (access == VM_WRITE && (*pte & PTE_COW)) {
            page_debug_open(); /* debug kernels: catch a copy after the put */
            /* LAB cow BEGIN: a store to a copy-on-write page: break the sharing (vm_cow_break) */
            r = vm_cow_break(as, va, pte, 0);
            /* LAB cow END */
            page_debug_close();
            if (evicting && r == VM_OK)
                evict_track_slow(as, va, pa_to_page(pte_to_pa(*pte))); /* a copy is a new frame */
        }
    }
    spin_unlock(&as->lock);
    return r;
}

/* With eviction active: reclaim first if frames are short; when out of
 * frames, evict (this sleeps, so it happens here, with no lock held) and
 * try again; out of memory only when nothing could be evicted. Out of
 * line, so that a kernel without eviction pays one branch for it. */
static __attribute__((noinline)) enum vm_result fault_evicting(struct aspace *as, uint64_t va, enum vm_access access)
{
    mm_count(&mm_counters.page_faults);
    mm_reclaim_if_low_slow();
    enum vm_result r = fault_once(as, va, access, 1);
    for (int tries = 0; r == VM_NO_MEMORY && tries < 1000 && mm_reclaim(1); tries++)
        r = fault_once(as, va, access, 1);
    return r;
}

enum vm_result vm_fault(struct aspace *as, uint64_t va, enum vm_access access)
{
    if (va >= USER_TOP)
        return VM_BAD_ADDRESS;
    va = PAGE_ROUND_DOWN(va);
    if (__builtin_expect(evict_active(), 0))
        return fault_evicting(as, va, access);
    return fault_once(as, va, access, 0);
}
