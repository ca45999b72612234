/* mmap and munmap: regions of kind REGION_MMAP, filled on first touch
 * (mm/fill.c) under either allocation policy.
 *
 *   MAP_PRIVATE  each page is a private frame: the file's bytes, or
 *                zeros; stores never reach the file. Fork shares it
 *                copy-on-write like any private page.
 *   MAP_SHARED   the frames carry PTE_SHARED: fork shares them writable
 *                as they are (a store by parent or child is seen by the
 *                other). A file mapping's pages start clean; those the
 *                hardware marked dirty (D) are written back to the file
 *                on munmap and exit, never past the file's end.
 *
 * There is no page cache: two separate mappings of one file (or a page
 * that parent and child each filled after the fork) hold separate
 * frames, which meet only in the file when written back. */
#include "aspace.h"
#include "mmstat.h"
#include "page.h"
#include "region.h"
#include "vm.h"
#include "../arch/riscv/memlayout.h"

/* The highest page-aligned range of len bytes below as->mmap_top that no
 * region touches, or 0 if there is none. (Marked unused for the mmap
 * lab's handout, where nothing calls it until the student does.) */
static __attribute__((unused)) uint64_t find_gap(struct aspace *as, uint64_t len)
{
    uint64_t best = 0, lo = PAGE_SIZE; /* never page 0: a null pointer must fault */
    for (struct region *r = as->regions;; r = r->next) {
        uint64_t hi = r ? r->start : as->mmap_top;
        if (hi > as->mmap_top)
            hi = as->mmap_top;
        if (hi > lo && hi - lo >= len)
            best = hi - len;
        if (!r || r->end >= as->mmap_top)
            break;
        if (r->end > lo)
            lo = r->end;
    }
    return best;
}

int64_t aspace_mmap(struct aspace *as, uint64_t hint, uint64_t len, uint32_t prot, int shared, void *file, uint64_t off)
{
    /* LAB mmap BEGIN: reserve a region for the mapping (at the hint if it is free, else in a gap below mmap_top) */
    /* off is an off_t: negative, or so large that the mapping's end
     * would wrap, is refused. */
    if (len == 0 || len > USER_TOP || (off & (PAGE_SIZE - 1)) || (int64_t)off < 0 || off + len < off)
        return -1;
    len = PAGE_ROUND_UP(len);
    struct region *r = region_alloc();
    if (!r)
        return -1;
    spin_lock(&as->lock);
    uint64_t va = hint;
    if (!va || (va & (PAGE_SIZE - 1)) || va > USER_STACK_TOP - len || !region_range_free(as, va, va + len))
        va = find_gap(as, len);
    if (!va || as->nregions >= REGION_MAX) {
        spin_unlock(&as->lock);
        region_free(r);
        return -1;
    }
    *r = (struct region){va, va + len, prot, REGION_MMAP, shared ? REGION_SHARED : 0, 0, off, va, va + len, 0};
    if (file) {
        r->file = file;
        r->flags |= REGION_EOF_FAULT;
        /* a shared writable mapping of a running program's file: ETXTBSY */
        if (region_file_get(r, 1) < 0) {
            spin_unlock(&as->lock);
            region_free(r);
            return -1;
        }
    }
    region_insert(as, r);
    spin_unlock(&as->lock);
    return (int64_t)va;
    /* LAB mmap STUB
    (void)as, (void)hint, (void)len, (void)prot, (void)shared, (void)file, (void)off;
    return -1;
       LAB mmap END */
}

/* The dirty page at va of r, written back to r's file (as->lock held on
 * entry and on return, dropped for the write). The page stays mapped, so
 * its frame cannot go away meanwhile: only this process changes its own
 * mappings, and it is here. */
static void writeback_page(struct aspace *as, struct region *r, uint64_t va, pte_t pte)
{
    /* LAB mmap BEGIN: write the page's file part back, never past the file's end */
    uint64_t off = r->file_off + (va - r->file_va);
    uint64_t n = r->file_end - va < PAGE_SIZE ? r->file_end - va : PAGE_SIZE;
    void *file = vm_file_ops->dup(r->file);
    spin_unlock(&as->lock);
    uint64_t size = vm_file_ops->size(file);
    if (off < size) {
        if (n > size - off)
            n = size - off;
        if (vm_file_ops->write(file, pa_to_va(pte_to_pa(pte)), off, n) == (int64_t)n)
            mm_count(&mm_counters.pages_written_back);
    }
    vm_file_ops->put(file);
    spin_lock(&as->lock);
    /* LAB mmap STUB
    (void)as, (void)r, (void)va, (void)pte;
       LAB mmap END */
}

/* The first present, dirty page of a walk: D is set by the hardware (or
 * by vm_fault on hardware that traps for it) at the first store. */
struct dirty {
    uint64_t va;
    pte_t pte;
};

static int dirty_leaf(void *ctx, pte_t *e, uint64_t va)
{
    struct dirty *d = ctx;
    if ((*e & (PTE_V | PTE_D)) != (PTE_V | PTE_D))
        return 0;
    d->va = va;
    d->pte = *e;
    return 1;
}

void aspace_writeback(struct aspace *as, uint64_t va, uint64_t end)
{
    spin_lock(&as->lock);
    while (va < end) {
        struct region *r = region_first_above(as, va);
        if (!r || r->start >= end)
            break;
        if (va < r->start)
            va = r->start;
        uint64_t stop = r->end < end ? r->end : end;
        struct dirty d;
        /* Only pages a store dirtied, found by walking the tables that
         * exist: a large mapping costs what is mapped, not its size. */
        if (!(r->flags & REGION_SHARED) || !r->file || !(r->prot & PROT_W) ||
            sv39_visit(as->root, va, stop, 0, sv39_tables_present, dirty_leaf, 0, &d) != 1) {
            va = stop;
            continue;
        }
        writeback_page(as, r, d.va, d.pte);
        va = d.va + PAGE_SIZE;
    }
    spin_unlock(&as->lock);
}

int aspace_munmap(struct aspace *as, uint64_t va, uint64_t len)
{
    /* LAB mmap BEGIN: write dirty shared pages back, then take the range out of the mappings and unmap its pages */
    if ((va & (PAGE_SIZE - 1)) || len == 0 || va >= USER_TOP || len > USER_TOP - va)
        return -1;
    uint64_t end = PAGE_ROUND_UP(va + len);
    spin_lock(&as->lock);
    /* Only mappings: the program, its heap and its stack stay. */
    for (struct region *r = region_first_above(as, va); r && r->start < end; r = r->next)
        if (r->kind != REGION_MMAP) {
            spin_unlock(&as->lock);
            return -1;
        }
    spin_unlock(&as->lock);
    aspace_writeback(as, va, end);
    struct region *dead = 0;
    spin_lock(&as->lock);
    /* Tables first (odf), then the regions: either may fail for want of
     * memory, and then nothing the process can see has changed. */
    if (aspace_unshare_range(as, va, end) || region_remove_range(as, va, end, &dead)) {
        spin_unlock(&as->lock);
        return -1;
    }
    aspace_unmap_locked(as, va, (end - va) / PAGE_SIZE);
    spin_unlock(&as->lock);
    region_list_free(dead);
    return 0;
    /* LAB mmap STUB
    (void)as, (void)va, (void)len;
    return -1;
       LAB mmap END */
}
