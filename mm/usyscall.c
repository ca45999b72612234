/* The USYSCALL page (lab pgtbl, include/rvos/usyscall.h): a read-only page
 * at a fixed address in every user address space, holding the process's
 * own struct usyscall.
 *
 * It is an ordinary user page as far as the rest of mm/ is concerned: a
 * frame marked PG_USER, mapped by one PTE with U set, counted in
 * as->resident; so the audit checks it, exit frees it with the rest, and
 * fork's policies copy or share its PTE like any read-only page. The
 * data are per process, though, so whoever builds a new address space
 * for a process (exec, fork) installs a page of the process's own here,
 * replacing whatever fork cloned. It has no region: vm_fault finds no
 * reason to allow a store there, and the process is killed. */
#include "aspace.h"
#include "kmap.h"
#include "page.h"
#include "../arch/riscv/memlayout.h"
#include "../include/rvos/usyscall.h"
#include "../kernel/string.h"

_Static_assert(USYSCALL % PAGE_SIZE == 0 && USYSCALL < USER_TOP, "one user page");
_Static_assert(sizeof(struct usyscall) <= PAGE_SIZE, "fits its page");

/* Maps a fresh page holding *u at USYSCALL in as, in place of any page
 * mapped there (the one fork cloned from the parent). as must be new: no
 * hart runs on it yet, so no TLB holds its entries. 0 or -1 (out of
 * memory; as keeps what it had). */
int aspace_map_usyscall(struct aspace *as, const struct usyscall *u)
{
    /* LAB pgtbl BEGIN: map a fresh read-only user page with *u in it at USYSCALL (replace any page there) */
    /* Allocate under the lock: the audit (which takes every address
     * space's lock) must never see a PG_USER frame that no PTE maps yet. */
    spin_lock(&as->lock);
    pte_t *pte = aspace_pte_private(as, USYSCALL, 1);
    struct page *pg = pte ? user_page_alloc(PAGE_ZERO) : 0;
    if (!pg) {
        spin_unlock(&as->lock);
        return -1;
    }
    memcpy(page_va(pg), u, sizeof *u);
    if (*pte & PTE_V) {
        page_put(pa_to_page(pte_to_pa(*pte)));
        as->resident--;
    }
    /* R and U only: never W, never X; A set as for every user page here. */
    *pte = pa_to_pte(page_to_pa(pg), PTE_R | PTE_U | PTE_V | PTE_A);
    as->resident++;
    spin_unlock(&as->lock);
    return 0;
    /* LAB pgtbl STUB
    (void)as, (void)u;
    return 0;
       LAB pgtbl END */
}
