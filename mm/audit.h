#ifndef RVOS_MM_AUDIT_H
#define RVOS_MM_AUDIT_H
/* Checks every frame's refcount against the user mappings that really point
 * at it, the free list against the free count, and the PTE invariants
 * (COW never with W; every user PTE maps a managed frame marked PG_USER).
 * Prints the first problem precisely; returns the number found. */
int mm_audit(void);
#endif
