/* struct memstat: what the memstat() system call reports. Shared by the
 * kernel and user programs. */
#ifndef RVOS_ABI_MEMSTAT_H
#define RVOS_ABI_MEMSTAT_H

struct memstat {
    unsigned long frames_total; /* frames the allocator manages */
    unsigned long frames_free;
    unsigned long forks;
    unsigned long cow_faults;
    unsigned long pages_copied; /* COW faults that copied */
    unsigned long pages_reused; /* COW faults that reused the frame */
    unsigned long pages_shared; /* user frames mapped by more than one address space now */
    unsigned long oom_kills;
    char fork_policy[8];              /* "cow", "copy" or "odf" */
    unsigned long frames_allocated;   /* single-frame allocations since boot (superpages: superpages_made) */
    unsigned long fork_promises;      /* what every fork does, by the policy: FORK_* below */
    unsigned long tables_shared;      /* level-0 page tables held by more than one address space now (odf) */
    unsigned long tables_copied;      /* shared tables copied since boot by a write through one (odf) */
    unsigned long table_copy_ns;      /* rdtime spent in those copies; under -icount shift=0: instructions */
    char alloc_policy[8];             /* "eager" or "lazy" */
    unsigned long lazy_faults;        /* faults that filled a reserved, absent page (zero or file bytes) */
    unsigned long file_pages_read;    /* pages filled from a file (exec segments, file mappings) */
    unsigned long pages_written_back; /* dirty pages of shared file mappings written to their file */
    unsigned long pages_reserved;     /* user pages the address spaces reserve now (regions), present or not */
    unsigned long pages_resident;     /* user pages mapped now (present PTEs) */
    char evict_policy[8];             /* "fifo", "clock" or "aging" (mm.evict=) */
    unsigned long evict_active;       /* 1 with a swap disk or mm.frames=N */
    unsigned long frames_cap;         /* mm.frames=N, or 0 */
    unsigned long frames_listed;      /* user frames on the eviction list now */
    unsigned long page_faults;        /* user page faults handled while eviction is active, every cause */
    unsigned long evictions;          /* pages evicted (swapped out or dropped) */
    unsigned long swap_outs;          /* pages written to swap */
    unsigned long swap_ins;           /* pages read back from swap */
    unsigned long pages_dropped;      /* read-only pages evicted without a write (refilled from their file) */
    unsigned long evict_scans;        /* frames the policy looked at; / evictions = scans per eviction */
    unsigned long swap_slots;         /* slots on the swap disk (4 KiB each) */
    unsigned long swap_slots_used;    /* slots holding a page now */
    unsigned long swap_write_errors;  /* failed swap writes (their pages are lost) */
    unsigned long superpages;         /* 1 when mm.superpages=on: large anonymous memory gets 2 MiB leaves */
    unsigned long superpages_made;    /* 2 MiB leaves mapped since boot */
    unsigned long superpage_splits;   /* 2 MiB leaves split into 512 pages (unmap, COW, eviction) */
    unsigned long tables_mine;        /* page-table pages the caller's address space holds now (a shrinking
                                         heap keeps its tables until exit, as in the classic kernel) */
};

/* fork_promises: what the fork policy in force promises for every fork.
 * Tests (and course programs) expect by these, not by the policy's name,
 * so that a new policy is held to what it says it does. A policy that
 * decides page by page (a hybrid) promises neither: only the invariants
 * that hold for every policy (a write stays private, nothing leaks). */
#define FORK_SHARES_ALL                                                                                                \
    1UL                     /* every page is shared at fork (no frame copied then); a writable one                     \
                               copy-on-write: the first write to it faults (cow_faults) */
#define FORK_COPIES_ALL 2UL /* every page is copied at fork; no COW fault ever follows */
/* Level-0 page tables are shared at fork, not copied (odf): the fork
 * writes no level-0 entry of the child, and the first write through a
 * shared table copies the table (tables_copied) before the COW fault. */
#define FORK_SHARES_TABLES 4UL
#endif
