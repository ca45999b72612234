/* Page faults and kernel access to user memory. */
#ifndef RVOS_MM_VM_H
#define RVOS_MM_VM_H
#include <stdint.h>
#include "../arch/riscv/sv39.h"
struct aspace;

enum vm_access { VM_READ, VM_WRITE, VM_EXEC };
enum vm_result { VM_OK = 0, VM_BAD_ADDRESS = -1, VM_NO_MEMORY = -2 };

/* Resolves a user page fault at va. VM_OK: retry the access. Otherwise the
 * access was illegal (unmapped, kernel address, store to read-only) or a
 * COW copy found no free frame; either way the process must die. */
enum vm_result vm_fault(struct aspace *as, uint64_t va, enum vm_access access);

/* Makes the COW page whose PTE is *pte writable for this address space:
 * reuse the frame if this is its only mapping, else copy it (or, when
 * the caller will overwrite the whole page, just take a fresh frame).
 * Caller holds as->lock. */
enum vm_result vm_cow_break(struct aspace *as, uint64_t va, pte_t *pte, int will_overwrite);

/* Kernel <-> user copies. Every address is checked; a bad one gives -1,
 * never a fault in the kernel. copyout breaks COW as a user store would. */
int copyout(struct aspace *as, uint64_t dst, const void *src, uint64_t len);
int copyin(struct aspace *as, void *dst, uint64_t src, uint64_t len);
/* Copies a NUL-terminated string of at most max bytes (NUL included).
 * Returns its length, or -1 (bad address, or no NUL within max). */
int copyinstr(struct aspace *as, char *dst, uint64_t src, uint64_t max);
#endif
