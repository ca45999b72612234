/* Filling reserved pages: the one place a page that a region reserves
 * gets its frame, whether at once (eager allocation, vm_populate) or on
 * the first access (vm_fault, copyin/copyout), and where a page in swap
 * comes back (vm_swap_in_locked). */
#include "vm.h"
#include "aspace.h"
#include "mmstat.h"
#include "page.h"
#include "region.h"
#include "evict.h"
#include "swap.h"
#include "superpage.h"
#include "../arch/riscv/memlayout.h"
#include "../kernel/sleeplock.h"
#include "../kernel/string.h"

/* The part of page va that r's file fills: [*lo, *hi) within the page,
 * from file offset *off. 0 if none of it does. */
static int file_window(const struct region *r, uint64_t va, uint64_t *lo, uint64_t *hi, uint64_t *off)
{
    if (!r->file)
        return 0;
    uint64_t a = va > r->file_va ? va : r->file_va;
    uint64_t b = va + PAGE_SIZE < r->file_end ? va + PAGE_SIZE : r->file_end;
    if (a >= b)
        return 0;
    *lo = a - va;
    *hi = b - va;
    *off = r->file_off + (a - r->file_va);
    return 1;
}

/* The PTE a filled page of r gets. A page of a shared, writable file
 * mapping starts clean (no D): the hardware (or vm_fault, on hardware
 * that traps instead) sets D at the first store, and only pages with D
 * are written back. Every other page is mapped with A and D set: nothing
 * reads them, and setting them now spares the hardware the update. */
static pte_t filled_pte(const struct region *r, struct page *pg)
{
    pte_t flags = r->prot | PTE_U | PTE_V | PTE_A | PTE_D;
    if (r->flags & REGION_SHARED) {
        flags |= PTE_SHARED;
        if (r->file && (r->prot & PTE_W))
            flags &= ~PTE_D;
    }
    return pa_to_pte(page_to_pa(pg), flags);
}

/* Maps pg at va (as->lock held): 0; 1 if the page is present already
 * (pg is then not used); -1 when no page table could be had. */
static int install(struct aspace *as, const struct region *r, uint64_t va, struct page *pg)
{
    pte_t *pte = aspace_pte_private(as, va, 1);
    if (!pte)
        return -1;
    if (*pte) /* present, or in swap */
        return 1;
    /* PG_USER only now that a PTE maps it: the audit (which takes every
     * address space's lock) never sees a user frame that nothing maps. */
    pg->flags |= PG_USER;
    *pte = filled_pte(r, pg);
    as->resident++;
    evict_track(as, va, pg);
    return 0;
}

/* Reads the file part of page va of r into a fresh frame; as->lock is
 * dropped meanwhile. *pgp is 0 when memory ran out. */
static enum vm_result read_file_page(struct aspace *as, const struct region *r, uint64_t va, struct page **pgp)
{
    uint64_t lo = 0, hi = 0, off = 0;
    file_window(r, va, &lo, &hi, &off);
    void *file = vm_file_ops->dup(r->file);
    int eof_fault = (r->flags & REGION_EOF_FAULT) != 0;
    spin_unlock(&as->lock);
    enum vm_result res = VM_OK;
    struct page *pg = evict_may_alloc() ? page_alloc(0) : 0;
    if (!pg) {
        res = VM_NO_MEMORY;
    } else {
        char *k = page_va(pg);
        int64_t n = vm_file_ops->read(file, k + lo, off, hi - lo);
        if (n < 0 || (n == 0 && eof_fault)) {
            /* An I/O error, or (mmap) a page wholly past the end of the
             * file: there is nothing to map there. */
            page_put(pg);
            pg = 0;
            res = VM_BAD_ADDRESS;
        } else {
            memset(k, 0, lo);
            memset(k + lo + n, 0, PAGE_SIZE - lo - (uint64_t)n);
            mm_count(&mm_counters.file_pages_read);
        }
    }
    vm_file_ops->put(file);
    spin_lock(&as->lock);
    *pgp = pg;
    return res;
}

enum vm_result vm_fill_locked(struct aspace *as, struct region *r, uint64_t va)
{
    uint64_t lo, hi, off;
    struct page *pg;
    if (file_window(r, va, &lo, &hi, &off)) {
        /* Reading the file sleeps and takes its inode lock. as->lock is
         * one spin lock held; any other, or any sleep lock (it could be
         * this very file's: a read() into a mapping of the file read),
         * means a copy under a lock, which vm_prefault should have spared
         * and did not (out of memory): the copy fails, it never waits. */
        if (cpu_spin_depth() > 1 || sleep_locks_held())
            return VM_BAD_ADDRESS;
        struct region snap = *r;
        enum vm_result res = read_file_page(as, &snap, va, &pg);
        if (res != VM_OK)
            return res;
        /* The lock was dropped: the region must still be there. Only
         * this process changes its regions, and it is here, so it is;
         * checked all the same, since a wrong page would be silent. */
        r = region_find(as, va);
        if (!r || r->file != snap.file || r->file_off != snap.file_off || r->file_va != snap.file_va) {
            page_put(pg);
            return VM_BAD_ADDRESS;
        }
    } else {
        pg = evict_may_alloc() ? page_alloc(PAGE_ZERO) : 0;
        if (!pg)
            return VM_NO_MEMORY;
    }
    int done = install(as, r, va, pg);
    if (done != 0)
        page_put(pg);
    else if (r->prot & PROT_X)
        aspace_text_filled(as);
    return done < 0 ? VM_NO_MEMORY : VM_OK;
}

int vm_populate(struct aspace *as, uint64_t start, uint64_t end)
{
    int r = 0;
    spin_lock(&as->lock);
    for (uint64_t va = start; va < end && r == 0; va += PAGE_SIZE) {
        pte_t *pte = sv39_walk(as->root, va, 0);
        if (pte && *pte) /* present, or in swap */
            continue;
        struct region *reg = region_find(as, va);
        if (!pte && superpage_leaf(as, va)) {
            va = (va | (SUPER_BYTES - 1)) + 1 - PAGE_SIZE; /* mapped by a superpage */
            continue;
        }
        uint64_t super = pte ? 0 : superpage_fill(as, reg, va, end);
        if (super) {
            va += super - PAGE_SIZE;
            continue;
        }
        enum vm_result res = reg ? vm_fill_locked(as, reg, va) : VM_OK;
        if (res == VM_NO_MEMORY && evict_active()) {
            /* Evict (it sleeps, so without the lock), then this page again. */
            spin_unlock(&as->lock);
            uint64_t freed = mm_reclaim(1);
            spin_lock(&as->lock);
            if (freed) {
                va -= PAGE_SIZE;
                continue;
            }
        }
        if (res != VM_OK)
            r = -1;
    }
    spin_unlock(&as->lock);
    return r;
}

static void swap_in_range(struct aspace *as, uint64_t va, uint64_t end);

void vm_prefault(struct aspace *as, uint64_t va, uint64_t len)
{
    if (va >= USER_TOP || len > USER_TOP - va)
        return;
    uint64_t end = PAGE_ROUND_UP(va + len), start = PAGE_ROUND_DOWN(va);
    spin_lock(&as->lock);
    for (va = PAGE_ROUND_DOWN(va); va < end; va += PAGE_SIZE) {
        struct region *r = region_first_above(as, va);
        if (!r || r->start >= end)
            break;
        if (r->start > va)
            va = r->start;
        uint64_t lo, hi, off;
        if (!r->file || va >= r->file_end) {
            va = r->end - PAGE_SIZE; /* nothing to read in the rest of r */
            continue;
        }
        if (!file_window(r, va, &lo, &hi, &off))
            continue;
        pte_t *pte = sv39_walk(as->root, va, 0);
        if (!(pte && *pte) && vm_fill_locked(as, r, va) != VM_OK)
            break;
    }
    spin_unlock(&as->lock);
    if (evict_active() && swap_slots_used())
        swap_in_range(as, start, end);
}

/* Brings the pages of [va, end) that are in swap back (vm_prefault):
 * reading a slot sleeps, which the copies under a spin lock cannot. */
static void swap_in_range(struct aspace *as, uint64_t va, uint64_t end)
{
    spin_lock(&as->lock);
    for (; va < end; va += PAGE_SIZE) {
        pte_t *pte = sv39_walk(as->root, va, 0);
        if (pte && pte_is_swap(*pte) && vm_swap_in_locked(as, va, VM_READ) != VM_OK)
            break;
    }
    spin_unlock(&as->lock);
}

enum vm_result vm_swap_in_locked(struct aspace *as, uint64_t va, enum vm_access access)
{
    va = PAGE_ROUND_DOWN(va);
    pte_t *pte = sv39_walk(as->root, va, 0);
    if (!pte || !pte_is_swap(*pte))
        return VM_OK; /* brought back meanwhile: the access is retried */
    struct region *r = region_find(as, va);
    uint32_t need = access == VM_WRITE ? PROT_W : access == VM_EXEC ? PROT_X : PROT_R;
    if (!r || !(r->prot & need))
        return VM_BAD_ADDRESS;
    /* Reading the slot sleeps: not under a spin lock other than ours
     * (vm_prefault brings such pages back before the copy). */
    if (cpu_spin_depth() > 1)
        return VM_BAD_ADDRESS;
    pte_t want = *pte;
    uint64_t slot = pte_swap_slot(want);
    swap_hold(slot); /* ours while the lock is let go */
    spin_unlock(&as->lock);
    struct page *pg = evict_may_alloc() ? page_alloc(0) : 0;
    int err = pg ? swap_read(slot, page_va(pg)) : 0;
    spin_lock(&as->lock);
    enum vm_result res = !pg ? VM_NO_MEMORY : err ? VM_BAD_ADDRESS : VM_OK;
    if (res == VM_OK) {
        /* A table shared with another address space (odf) is copied
         * first: the page comes back for this address space only. */
        pte = aspace_pte_private(as, va, 0);
        r = region_find(as, va);
        if (!pte || !r) {
            res = pte ? VM_BAD_ADDRESS : VM_NO_MEMORY;
        } else if (*pte == want) {
            /* Ours alone now, whoever else still names the slot: mapped as
             * its region allows (a page that was COW-shared is private). */
            pg->flags |= PG_USER;
            *pte = filled_pte(r, pg);
            as->resident++;
            evict_track(as, va, pg);
            swap_put(slot); /* the PTE's */
            mm_count(&mm_counters.swap_ins);
            if (r->prot & PROT_X)
                aspace_text_filled(as);
            pg = 0;
        }
    }
    if (pg)
        page_put(pg);
    swap_unhold(slot);
    return res;
}
