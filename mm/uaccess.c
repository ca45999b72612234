/* copyin / copyout / copyinstr: the kernel reads and writes user memory by
 * walking the process's page table in software and using the direct map,
 * so a bad user pointer is an error return, never a kernel page fault. */
#include "vm.h"
#include "aspace.h"
#include "evict.h"
#include "swap.h"
#include "superpage.h"
#include "../kernel/spinlock.h"
#include "../arch/riscv/memlayout.h"
#include "page.h"
#include "../kernel/string.h"

static int range_ok(uint64_t va, uint64_t len) { return va < USER_TOP && len <= USER_TOP - va; }

/* The kernel address of user va, if the page allows `access`; a reserved
 * page is filled first, and for writes a COW page is broken. Caller holds
 * as->lock (which filling from a file drops for a while). */
static void *user_page(struct aspace *as, uint64_t va, enum vm_access access, int whole_page)
{
    pte_t *pte = sv39_walk(as->root, va, 0);
    pte_t *leaf = pte ? 0 : superpage_leaf(as, va);
    if (leaf) {
        /* A superpage: read it, or write it if it is writable; a store to
         * a COW one splits it, then breaks the one page as below. */
        pte_t need = PTE_V | PTE_U | (access == VM_WRITE ? PTE_W : PTE_R);
        if ((*leaf & need) == need)
            return (char *)pa_to_va(pte_to_pa(*leaf)) + (va & (SUPER_BYTES - 1));
        if (access != VM_WRITE || !(*leaf & PTE_COW))
            return 0;
        superpage_split(as, leaf, va);
        pte = sv39_walk(as->root, va, 0);
    }
    if (pte && pte_is_swap(*pte)) {
        if (vm_swap_in_locked(as, va, access) != VM_OK)
            return 0;
        pte = sv39_walk(as->root, va, 0);
        if (!pte)
            return 0;
    }
    if (!pte || !(*pte & PTE_V)) {
        /* LAB lazy BEGIN: a reserved page not filled yet is filled as a user access would fill it */
        if (vm_fault_absent(as, PAGE_ROUND_DOWN(va), access) != VM_OK)
            return 0;
        pte = sv39_walk(as->root, va, 0);
        if (!pte)
            return 0;
        /* LAB lazy STUB
        return 0;
           LAB lazy END */
    }
    if ((*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
        return 0;
    if (access == VM_WRITE)
        page_debug_open(); /* debug kernels: catch a copy after the put (closed by copyout) */
    /* Breaking COW changes the PTE: a shared table (odf) is copied first. */
    if (access == VM_WRITE && (*pte & PTE_COW) && !pte_table_private(pte) && !(pte = aspace_pte_private(as, va, 0)))
        return 0;
    if (access == VM_WRITE && !(*pte & PTE_W)) {
        /* LAB cow BEGIN: a COW page is broken as a user store would break it (whole_page: no need to copy) */
        if (!(*pte & PTE_COW) || vm_cow_break(as, PAGE_ROUND_DOWN(va), pte, whole_page) != VM_OK)
            return 0;
        /* LAB cow STUB
        (void)whole_page;
        return 0;
           LAB cow END */
        evict_track(as, PAGE_ROUND_DOWN(va), pa_to_page(pte_to_pa(*pte))); /* a copy is a new frame */
    }
    if (access == VM_READ && !(*pte & PTE_R))
        return 0;
    return (char *)pa_to_va(pte_to_pa(*pte)) + (va & (PAGE_SIZE - 1));
}

/* Before each page: with eviction active, frames are made free first if
 * they are short (it sleeps: only when the caller holds no spin lock;
 * under one, vm_prefault brought the pages in beforehand). */
static void make_room(void)
{
    if (evict_active() && !cpu_spin_depth())
        mm_reclaim_if_low();
}

int copyout(struct aspace *as, uint64_t dst, const void *src, uint64_t len)
{
    if (!range_ok(dst, len))
        return -1;
    const char *s = src;
    while (len) {
        uint64_t off = dst & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        make_room();
        spin_lock(&as->lock);
        void *k = user_page(as, dst, VM_WRITE, n == PAGE_SIZE);
        page_debug_close(); /* opened by user_page */
        if (k)
            memcpy(k, s, n);
        spin_unlock(&as->lock);
        if (!k)
            return -1;
        dst += n, s += n, len -= n;
    }
    return 0;
}

int copyin(struct aspace *as, void *dst, uint64_t src, uint64_t len)
{
    if (!range_ok(src, len))
        return -1;
    char *d = dst;
    while (len) {
        uint64_t off = src & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        make_room();
        spin_lock(&as->lock);
        void *k = user_page(as, src, VM_READ, 0);
        if (k)
            memcpy(d, k, n);
        spin_unlock(&as->lock);
        if (!k)
            return -1;
        src += n, d += n, len -= n;
    }
    return 0;
}

int copyinstr(struct aspace *as, char *dst, uint64_t src, uint64_t max)
{
    uint64_t got = 0;
    while (got < max) {
        if (src >= USER_TOP)
            return -1;
        uint64_t off = src & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        if (n > max - got)
            n = max - got;
        make_room();
        spin_lock(&as->lock);
        const char *k = user_page(as, src, VM_READ, 0);
        uint64_t i = 0;
        int done = 0;
        if (k)
            for (; i < n; i++) {
                dst[got + i] = k[i];
                if (!k[i]) {
                    done = 1;
                    break;
                }
            }
        spin_unlock(&as->lock);
        if (!k)
            return -1;
        if (done)
            return (int)(got + i);
        got += n, src += n;
    }
    return -1;
}
