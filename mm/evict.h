/* Eviction: the third pluggable axis of the memory manager (the others:
 * fork, mm/fork.h, and allocation, mm/alloc.h). When user frames run
 * short, a policy chooses a resident page; the evictor (mm/evict.c)
 * unmaps it from every address space that maps it (the reverse map) and
 * writes it to a swap slot (mm/swap.h), or drops it if its file holds
 * its bytes (a page of program text). A later access faults it back in.
 *
 * Every mapped user frame is on one list, in the order it was mapped. The
 * policy sees the frame at the list's head: evict it, or keep it (it then
 * moves to the tail: the list is a clock, its head the hand).
 *
 *   fifo    evicts the head: the page mapped longest ago.
 *   clock   second chance: a page referenced (PTE A bit) since the hand
 *           last passed keeps its frame, and its A bits are cleared.
 *   aging   an approximate LRU that remembers more than one pass of the
 *           hand: a byte of history per frame (evict_state). The evict
 *           lab (labs/evict/) writes it.
 *
 * Chosen at boot with mm.evict= (default clock); an unknown name refuses
 * to boot. Eviction is active when there is a swap disk or mm.frames=N
 * caps the frames user pages may hold; otherwise no list is kept and
 * nothing changes. */
#ifndef RVOS_MM_EVICT_H
#define RVOS_MM_EVICT_H
#include <stdint.h>

struct page;
struct aspace;

struct evict_policy {
    const char *name; /* at most 7 characters (struct memstat) */
    /* Whether choose needs `referenced` (the evictor then tests and
     * clears the A bits of every PTE that maps the frame: a walk). */
    int uses_referenced;
    /* The frame at the head: 1 = evict it, 0 = keep it. *state is the
     * frame's policy byte (0 when it was mapped); referenced: any PTE that
     * maps it had A since the last visit; visits: how many frames this
     * search has looked at so far, and listed how many are on the list
     * (a policy must say 1 within 2 * listed + 1 visits: the evictor
     * takes the head then anyway). Called with the list's lock held. */
    int (*choose)(uint8_t *state, int referenced, uint64_t visits, uint64_t listed);
};

extern const struct evict_policy evict_policy_fifo;  /* mm/evict_fifo.c */
extern const struct evict_policy evict_policy_clock; /* mm/evict_clock.c */
extern const struct evict_policy evict_policy_aging; /* mm/evict_aging.c */
extern const struct evict_policy *evict_policy;      /* the one in force */
int evict_policy_select(const char *name);           /* 0, or -1 if unknown */
const char *evict_policy_name(int i);                /* the i-th, 0 past the last */

/* Boot: with a swap disk (swap_init done) or frames_cap > 0 (mm.frames=),
 * eviction becomes active. */
void evict_init(uint64_t frames_cap);
extern int evict_on; /* set once at boot (evict_init) */
static inline int evict_active(void) { return evict_on; }

/* A user frame was just mapped at va of as (as->lock held): it joins the
 * list (if it is not on it). Every place that maps a fresh user frame
 * calls this. */
void evict_track_slow(struct aspace *as, uint64_t va, struct page *pg);
/* Inline: the COW fault and the fill path call it, and without eviction
 * it must cost them a load and a branch. */
static inline void evict_track(struct aspace *as, uint64_t va, struct page *pg)
{
    if (evict_on)
        evict_track_slow(as, va, pg);
}
/* The frame's last reference went (page_put_slow): off the list. */
void evict_forget(struct page *pg);

/* Whether a user page may be allocated now: not when eviction is active
 * and the free frames are down to the kernel's reserve, or user pages
 * hold mm.frames already. The caller then fails with VM_NO_MEMORY and
 * its caller, holding no lock, reclaims (mm_reclaim) and retries. */
int evict_may_alloc_slow(void);
static inline int evict_may_alloc(void) { return !evict_on || evict_may_alloc_slow(); }
/* The same for n frames at once (a superpage). */
int evict_may_alloc_n(uint64_t n);
/* Frees frames by eviction until at least `want` were freed and, under
 * mm.frames, a user page may be allocated again (one eviction per
 * fault), or else the free frames reach the high watermark. Sleeps (disk writes); caller holds no spin lock. Returns
 * the frames freed (at least 1 if frames are available now, whoever
 * freed them): 0 when nothing can be evicted (swap full, every page
 * pinned or shared), which means out of memory. */
uint64_t mm_reclaim(uint64_t want);
/* Reclaims when the free frames are below the low watermark: called
 * where a process may sleep before it allocates (a page fault, sbrk,
 * fork). Cheap when there is no pressure. */
void mm_reclaim_if_low_slow(void);
static inline void mm_reclaim_if_low(void)
{
    if (evict_on)
        mm_reclaim_if_low_slow();
}

/* Fork and the evictor's unmapping exclude each other (a fork's child is
 * half built while the parent's lock is let go): aspace_fork holds this
 * while eviction is active. */
void evict_fork_begin(void);
void evict_fork_end(void);

struct evictstat {
    uint64_t listed, cap, evictions, swap_outs, swap_ins, drops, scans, write_errors, reclaim_failed;
};
void evict_stat(struct evictstat *out);
#endif
