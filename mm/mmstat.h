/* Memory-manager counters, reported by the memstat system call. */
#ifndef RVOS_MM_MMSTAT_H
#define RVOS_MM_MMSTAT_H
#include <stdint.h>
#include "../include/rvos/memstat.h"

struct mm_counters {
    uint64_t forks;
    uint64_t cow_faults;
    uint64_t pages_copied; /* by COW faults */
    uint64_t pages_reused; /* COW faults resolved by restoring W */
    uint64_t oom_kills;
    uint64_t tables_copied;      /* shared level-0 tables copied by a write (odf) */
    uint64_t table_copy_ticks;   /* rdtime ticks spent copying them: a benchmark figure */
    uint64_t lazy_faults;        /* faults (and copies) that filled a reserved page */
    uint64_t file_pages_read;    /* pages filled from a file */
    uint64_t pages_written_back; /* dirty shared-mapping pages written to their file */
    uint64_t swap_ins;           /* pages read back from swap by a fault or a copy */
    uint64_t page_faults;        /* user page faults handled while eviction is active (every cause) */
    uint64_t superpages_made;    /* 2 MiB leaves mapped (mm/superpage.h) */
    uint64_t superpage_splits;   /* superleaves split into a table of 4 KiB pages */
};
extern struct mm_counters mm_counters;

static inline void mm_count(uint64_t *counter) { __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED); }
static inline void mmstat_count_fork(void) { mm_count(&mm_counters.forks); }
struct aspace;
/* mine: the caller's address space (tables_mine), or 0. */
void mmstat_fill(struct memstat *out, struct aspace *mine);
#endif
