/* struct allocstat: what the allocstat() system call reports about the
 * frame allocator's lock (labs/locks). Shared by the kernel and user
 * programs. Counts are since boot; subtract two readings. */
#ifndef RVOS_ABI_ALLOCSTAT_H
#define RVOS_ABI_ALLOCSTAT_H

struct allocstat {
    unsigned long lock_acquires;  /* of the global free-list lock */
    unsigned long lock_contended; /* acquisitions that found it held by another hart */
    unsigned long lock_spins;     /* failed attempts spent waiting for it */
    unsigned long cache_allocs;   /* allocations served by a per-hart cache alone */
    unsigned long cache_frees;    /* frees kept in a per-hart cache alone */
    unsigned long cached;         /* free frames sitting in per-hart caches now */
};
#endif
