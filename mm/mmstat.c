#include "mmstat.h"
#include "fork.h"
#include "page.h"
#include "../kernel/string.h"

struct mm_counters mm_counters;

void mmstat_fill(struct memstat *out)
{
    memset(out, 0, sizeof *out);
    out->frames_total = page_usable_count();
    out->frames_free = page_free_count();
    out->forks = mm_counters.forks;
    out->cow_faults = mm_counters.cow_faults;
    out->pages_copied = mm_counters.pages_copied;
    out->pages_reused = mm_counters.pages_reused;
    out->oom_kills = mm_counters.oom_kills;
    out->frames_allocated = page_alloc_count();
    /* A snapshot: counted without locks, so it can be off by the faults
     * racing with it, which is fine for a statistic. */
    for (uint64_t i = 0; i < page_db_nframes; i++)
        if ((page_db[i].flags & PG_USER) && page_refcount(&page_db[i]) > 1)
            out->pages_shared++;
    strncpy_safe(out->fork_policy, fork_policy->name, sizeof out->fork_policy);
    out->fork_promises = fork_policy->promises;
}
