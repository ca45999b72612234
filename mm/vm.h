/* Page faults, filling reserved pages, and kernel access to user memory. */
#ifndef RVOS_MM_VM_H
#define RVOS_MM_VM_H
#include <stdint.h>
#include "../arch/riscv/sv39.h"
struct aspace;
struct region;

enum vm_access { VM_READ, VM_WRITE, VM_EXEC };
enum vm_result { VM_OK = 0, VM_BAD_ADDRESS = -1, VM_NO_MEMORY = -2 };

/* Resolves a user page fault at va. VM_OK: retry the access. Otherwise the
 * access was illegal (unreserved, guard page, kernel address, store to
 * read-only, a file page past its end) or no frame was left; either way
 * the process must die. Caller holds no lock: filling a page from a file
 * sleeps. */
enum vm_result vm_fault(struct aspace *as, uint64_t va, enum vm_access access);

/* A fault on a page that is reserved but not present (no PTE): checks
 * that a region allows the access and fills the page (vm_fill_locked).
 * Caller holds as->lock, which may be dropped and taken again meanwhile. */
enum vm_result vm_fault_absent(struct aspace *as, uint64_t va, enum vm_access access);

/* Fills the absent page va of region r (which holds it) and maps it:
 * zeroed, or read from r's file (then as->lock is dropped for the read,
 * which sleeps, and taken again). Returns with as->lock held; r may be
 * stale by then. VM_OK also when the page turned out present already. */
enum vm_result vm_fill_locked(struct aspace *as, struct region *r, uint64_t va);

/* Fills every absent page of [start, end) that regions reserve (eager
 * allocation). Caller holds no lock. 0, or -1 (out of memory: what was
 * filled stays mapped). */
int vm_populate(struct aspace *as, uint64_t start, uint64_t end);

/* Brings back the page at va, which is in swap (its PTE a swap PTE,
 * mm/swap.h), if the region there allows `access`: a fresh frame, the
 * slot read into it (as->lock is dropped meanwhile: it sleeps), mapped as
 * its region says. VM_OK also when the page came back meanwhile. Caller
 * holds as->lock and no other spin lock. */
enum vm_result vm_swap_in_locked(struct aspace *as, uint64_t va, enum vm_access access);

/* Fills the absent file-backed pages of [va, va+len) in advance: a
 * system call does this before it takes the locks under which it copies
 * (an inode's sleep lock, a pipe's spin lock), because filling them reads
 * a file. Anonymous pages are left to the copy; pages in swap come back.
 * Never fails: a page it cannot fill is one the copy will report. */
void vm_prefault(struct aspace *as, uint64_t va, uint64_t len);

/* Makes the COW page whose PTE is *pte writable for this address space:
 * reuse the frame if this is its only mapping, else copy it (or, when
 * the caller will overwrite the whole page, just take a fresh frame).
 * Caller holds as->lock. */
enum vm_result vm_cow_break(struct aspace *as, uint64_t va, pte_t *pte, int will_overwrite);

/* Kernel <-> user copies. Every address is checked; a bad one gives -1,
 * never a fault in the kernel. copyout breaks COW as a user store would;
 * both fill reserved pages as a user access would. */
int copyout(struct aspace *as, uint64_t dst, const void *src, uint64_t len);
int copyin(struct aspace *as, void *dst, uint64_t src, uint64_t len);
/* Copies a NUL-terminated string of at most max bytes (NUL included).
 * Returns its length, or -1 (bad address, or no NUL within max). */
int copyinstr(struct aspace *as, char *dst, uint64_t src, uint64_t max);
#endif
