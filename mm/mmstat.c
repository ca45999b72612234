#include "mmstat.h"
#include "../kernel/clock.h"
#include "alloc.h"
#include "aspace.h"
#include "fork.h"
#include "page.h"
#include "evict.h"
#include "swap.h"
#include "superpage.h"
#include "../kernel/string.h"

struct mm_counters mm_counters;

void mmstat_fill(struct memstat *out, struct aspace *mine)
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
    out->tables_copied = mm_counters.tables_copied;
    out->table_copy_ns = clock_ticks_to_ns(mm_counters.table_copy_ticks);
    /* A snapshot: counted without locks, so it can be off by the faults
     * racing with it, which is fine for a statistic. A frame is shared if
     * several tables map it (refcount > 1), or if the one table that maps
     * it is shared (odf): count each such frame once. */
    for (uint64_t i = 0; i < page_db_nframes; i++) {
        struct page *pg = &page_db[i];
        uint32_t ref = page_refcount(pg);
        if ((pg->flags & PG_USER) && ref > 1)
            out->pages_shared++;
        if ((pg->flags & PG_PAGETABLE) && ref > 1) {
            out->tables_shared++;
            const pte_t *t = page_va(pg);
            for (int k = 0; k < PTES_PER_TABLE; k++)
                if ((t[k] & PTE_V) && page_refcount(pa_to_page(pte_to_pa(t[k]))) == 1)
                    out->pages_shared++;
        }
    }
    strncpy_safe(out->fork_policy, fork_policy->name, sizeof out->fork_policy);
    strncpy_safe(out->alloc_policy, alloc_policy->name, sizeof out->alloc_policy);
    out->lazy_faults = mm_counters.lazy_faults;
    out->file_pages_read = mm_counters.file_pages_read;
    out->pages_written_back = mm_counters.pages_written_back;
    spin_lock(&aspace_list_lock);
    for (struct aspace *as = aspace_all; as; as = as->next_all) {
        spin_lock(&as->lock);
        for (struct region *r = as->regions; r; r = r->next)
            if (r->kind != REGION_GUARD)
                out->pages_reserved += (r->end - r->start) / PAGE_SIZE;
        out->pages_resident += as->resident;
        spin_unlock(&as->lock);
    }
    spin_unlock(&aspace_list_lock);
    out->fork_promises = fork_policy->promises;
    struct evictstat es;
    evict_stat(&es);
    strncpy_safe(out->evict_policy, evict_policy->name, sizeof out->evict_policy);
    out->evict_active = (unsigned long)evict_active();
    out->frames_cap = es.cap;
    out->frames_listed = es.listed;
    out->page_faults = mm_counters.page_faults;
    out->evictions = es.evictions;
    out->swap_outs = es.swap_outs;
    out->swap_ins = mm_counters.swap_ins;
    out->pages_dropped = es.drops;
    out->evict_scans = es.scans;
    out->swap_slots = swap_slots_total();
    out->swap_slots_used = swap_slots_used();
    out->swap_write_errors = es.write_errors;
    out->superpages = (unsigned long)superpages_on;
    out->superpages_made = mm_counters.superpages_made;
    out->superpage_splits = mm_counters.superpage_splits;
    out->tables_mine = mine ? aspace_table_pages(mine) : 0;
}
