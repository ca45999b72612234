/* The evictor (mm/evict.h): the list of mapped user frames, the reverse
 * map walk, and reclaim.
 *
 * Locks, in the order they are taken: the reclaim sleep lock (one evictor
 * at a time), the fork gate, the swap I/O sleep lock, aspace_list_lock,
 * an address space's lock, ptshare_lock (a shared level-0 table's entry),
 * the list's spin lock (a leaf: page_put takes it, under any of the
 * others). The evictor never holds the list's lock while it walks.
 *
 * TLB rules (docs/mm.md): an address space runs on at most one hart at a
 * time, and every satp switch flushes. After changing a PTE that as can
 * reach, the evictor flushes the page on the hart as runs on (here, or
 * through SBI RFENCE); a hart that starts running as later walks anew. */
#include "evict.h"
#include "aspace.h"
#include "mmstat.h"
#include "page.h"
#include "policy.h"
#include "region.h"
#include "swap.h"
#include "superpage.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/tlb.h"
#include "../include/rvos/usyscall.h"
#include "../kernel/cpu.h"
#include "../kernel/printk.h"
#include "../kernel/sleeplock.h"
#include "../kernel/spinlock.h"

const struct evict_policy *evict_policy = &evict_policy_clock;
static const struct evict_policy *const all[] = {&evict_policy_fifo, &evict_policy_clock, &evict_policy_aging};

int evict_policy_select(const char *name)
{
    const struct evict_policy *p = policy_lookup((const void *const *)all, POLICY_COUNT(all), name);
    if (!p)
        return -1;
    evict_policy = p;
    return 0;
}

const char *evict_policy_name(int i) { return policy_name_at((const void *const *)all, POLICY_COUNT(all), i); }

#define NIL 0xffffffffU

static struct {
    struct spinlock lock; /* the list, and every listed frame's lru links, PG_LRU and evict_state */
    uint32_t head;        /* the oldest frame, where the hand points; NIL: empty */
    uint64_t listed;
} lru = {.lock = {0, "evict_list", 0}, .head = NIL};

int evict_on;
static uint64_t cap;                          /* mm.frames: 0 = none */
static uint64_t reserve, low_mark, high_mark; /* free-frame watermarks */
static struct sleeplock reclaim_lock, fork_gate;
static struct evictstat st;

static struct page *frame(uint32_t i) { return &page_db[i]; }
static uint32_t index_of(const struct page *pg) { return (uint32_t)(pg - page_db); }

/* Before the head: the tail of the circular list. */
static void list_add_tail(struct page *pg)
{
    uint32_t i = index_of(pg);
    if (lru.head == NIL) {
        pg->lru_prev = pg->lru_next = i;
        lru.head = i;
    } else {
        struct page *h = frame(lru.head), *t = frame(h->lru_prev);
        pg->lru_prev = h->lru_prev;
        pg->lru_next = lru.head;
        t->lru_next = i;
        h->lru_prev = i;
    }
    lru.listed++;
}

static void list_unlink(struct page *pg)
{
    uint32_t i = index_of(pg);
    if (pg->lru_next == i) {
        lru.head = NIL;
    } else {
        frame(pg->lru_prev)->lru_next = pg->lru_next;
        frame(pg->lru_next)->lru_prev = pg->lru_prev;
        if (lru.head == i)
            lru.head = pg->lru_next;
    }
    lru.listed--;
}

void evict_init(uint64_t frames_cap)
{
    sleeplock_init(&reclaim_lock, "reclaim");
    sleeplock_init(&fork_gate, "fork_gate");
    cap = frames_cap;
    /* The kernel's reserve: page tables, kernel stacks, pipes and buffers
     * are allocated from it when user pages have taken the rest; reclaim
     * starts at low and stops at high. */
    uint64_t usable = page_usable_count();
    reserve = usable / 64 > 64 ? usable / 64 : 64;
    low_mark = reserve * 2;
    high_mark = reserve * 3;
    evict_on = swap_present() || cap;
    if (evict_on)
        printk("mm: eviction %s over %s%s (reserve %lu frames, reclaim from %lu to %lu free)\n", evict_policy->name,
               swap_present() ? "swap" : "no swap: program text only", cap ? ", mm.frames cap" : "", reserve, low_mark,
               high_mark);
}

void evict_track_slow(struct aspace *as, uint64_t va, struct page *pg)
{
    /* The USYSCALL page has no region to bring it back: never evicted. */
    if (va == USYSCALL)
        return;
    spin_lock(&lru.lock);
    if (!(pg->flags & PG_LRU)) {
        pg->owner = as;
        pg->vpn = (uint32_t)(va >> PAGE_SHIFT);
        pg->evict_state = 0;
        pg->flags |= PG_LRU;
        list_add_tail(pg);
    }
    spin_unlock(&lru.lock);
}

void evict_forget(struct page *pg)
{
    spin_lock(&lru.lock);
    if (pg->flags & PG_LRU) {
        list_unlink(pg);
        pg->flags &= ~PG_LRU;
    }
    spin_unlock(&lru.lock);
}

/* User pages hold mm.frames already. */
static int at_cap(void) { return cap && __atomic_load_n(&lru.listed, __ATOMIC_RELAXED) >= cap; }

int evict_may_alloc_slow(void) { return !at_cap() && page_free_count() > reserve; }

int evict_may_alloc_n(uint64_t n)
{
    if (!evict_on)
        return 1;
    return (!cap || __atomic_load_n(&lru.listed, __ATOMIC_RELAXED) + n <= cap) && page_free_count() > reserve + n;
}

static int short_of_frames(void) { return page_free_count() < high_mark || at_cap(); }

/* Where a reclaim may stop: under mm.frames, as soon as a user page may
 * be allocated again (one eviction per fault, as the textbook counts);
 * otherwise at the high watermark (a batch). */
static int reclaimed_enough(void) { return cap ? evict_may_alloc_slow() : page_free_count() >= high_mark; }

void mm_reclaim_if_low_slow(void)
{
    if (page_free_count() < low_mark || at_cap())
        mm_reclaim(1);
}

void evict_fork_begin(void)
{
    if (evict_on)
        sleep_lock(&fork_gate);
}

void evict_fork_end(void)
{
    if (evict_on)
        sleep_unlock(&fork_gate);
}

/* Drops as's translation of va wherever as runs. The PTE change must be
 * visible before we look where as runs (a full fence): a hart that
 * activates as after that look walks the new PTE. */
static void flush_where_runs(struct aspace *as, uint64_t va)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int hart = aspace_active_on(as);
    if (hart < 0)
        return;
    push_off();
    int here = hart == (int)mycpu()->hartid;
    pop_off();
    if (here)
        tlb_flush_page(va);
    else
        tlb_flush_range_remote(1UL << hart, va, PAGE_SIZE);
}

/* Whether the PTE e maps pg. */
static int maps(pte_t e, const struct page *pg) { return (e & PTE_V) && pte_to_pa(e) == page_to_pa(pg); }

/* Whether the superleaf e maps pg. */
static int maps_super(pte_t e, const struct page *pg)
{
    return pte_to_pa(e) == (page_to_pa(pg) & ~(uint64_t)(SUPER_BYTES - 1));
}

/* The PTE of as that maps pg at its address, or 0 (as->lock held): a
 * superpage's leaf, whose A bit stands for all its frames. */
static pte_t *pte_mapping(struct aspace *as, struct page *pg, uint64_t va)
{
    pte_t *pte = sv39_walk(as->root, va, 0);
    if (!pte && (pte = superpage_leaf(as, va)) != 0)
        return maps_super(*pte, pg) ? pte : 0;
    return pte && maps(*pte, pg) ? pte : 0;
}

/* The level-0 PTE of as at va, after splitting a superpage of as that
 * maps pg there (as->lock held): eviction is page by page. The split
 * takes the table set aside for the leaf: it allocates nothing. */
static pte_t *pte_to_evict(struct aspace *as, struct page *pg, uint64_t va)
{
    pte_t *pte = sv39_walk(as->root, va, 0), *leaf;
    if (!pte && (leaf = superpage_leaf(as, va)) != 0 && maps_super(*leaf, pg)) {
        superpage_split(as, leaf, va);
        pte = sv39_walk(as->root, va, 0);
    }
    return pte;
}

/* Whether any PTE that maps pg has A, clearing them all (the reverse map:
 * every address space, at the frame's address). */
static int test_and_clear_referenced(struct page *pg)
{
    uint64_t va = (uint64_t)pg->vpn << PAGE_SHIFT;
    int referenced = 0;
    spin_lock(&aspace_list_lock);
    for (struct aspace *as = aspace_all; as; as = as->next_all) {
        spin_lock(&as->lock);
        pte_t *pte = pte_mapping(as, pg, va);
        if (pte && (*pte & PTE_A)) {
            /* Atomic: the hardware may set D in the same PTE meanwhile. */
            __atomic_fetch_and(pte, ~PTE_A, __ATOMIC_RELAXED);
            flush_where_runs(as, va);
            referenced = 1;
        }
        spin_unlock(&as->lock);
    }
    spin_unlock(&aspace_list_lock);
    return referenced;
}

/* A page whose bytes its region gives back on the next fault: a private
 * page of a region that can never be written (program text, read-only
 * data), filled from its file or with zeros. */
static int refillable(struct aspace *as, uint64_t va)
{
    struct region *r = region_find(as, va);
    return r && !(r->prot & PROT_W) && !(r->flags & REGION_SHARED);
}

/* The shared tables (odf) whose PTE for the frame unmap_everywhere
 * changed: each has at least two holders, so there are never more than
 * half as many as address spaces. */
#define MAX_CHANGED (MAX_ASPACES / 2)

/* Replaces every PTE that maps pg with repl (a swap PTE for *slot, or 0
 * for a refillable page), dropping their references: the evictor's pin
 * keeps the frame. *slot is a slot held for us, or SWAP_NONE (swap full
 * or absent: only a refillable page can go); it is left SWAP_NONE when
 * the page was dropped. Returns the PTEs changed, or -1 when pg may not
 * be evicted (a MAP_SHARED page, or no slot for a page that needs one). */
static int unmap_everywhere(struct page *pg, uint64_t *slot)
{
    uint64_t va = (uint64_t)pg->vpn << PAGE_SHIFT;
    pte_t *changed[MAX_CHANGED];
    int nchanged = 0, n = 0, decided = 0;
    pte_t repl = 0;
    /* Every address space's lock at once, in list order (as the audit
     * takes them): a PTE in a level-0 table shared by several (odf)
     * changes for all of them, and each one's resident count must drop
     * with it. Were the locks taken one at a time, a holder visited later
     * could copy the shared table in between (table_unshare, under its
     * own lock), carrying the change into its copy where this walk no
     * longer finds the frame: its resident would stay one too high. */
    spin_lock(&aspace_list_lock);
    for (struct aspace *as = aspace_all; as; as = as->next_all)
        spin_lock(&as->lock);
    for (struct aspace *as = aspace_all; as && n >= 0; as = as->next_all) {
        pte_t *pte = pte_to_evict(as, pg, va);
        int seen = 0;
        for (int k = 0; pte && k < nchanged; k++)
            seen |= changed[k] == pte;
        if (seen) {
            /* A level-0 table shared with an address space already seen
             * (odf): its PTE changed for this one too. */
            as->resident--;
            flush_where_runs(as, va);
        } else if (pte && maps(*pte, pg)) {
            if (!decided) {
                decided = 1;
                if (*pte & PTE_SHARED) {
                    n = -1; /* shared on purpose: both must keep seeing one frame */
                } else if (refillable(as, va)) {
                    repl = 0;
                } else if (*slot == SWAP_NONE) {
                    n = -1;
                } else {
                    repl = swap_pte(*slot);
                }
            }
            if (n >= 0) {
                struct page *tp = pa_to_page(va_to_pa((void *)((uint64_t)pte & ~(uint64_t)(PAGE_SIZE - 1))));
                int shared = page_refcount(tp) > 1;
                if (shared)
                    spin_lock(&ptshare_lock);
                __atomic_exchange_n(pte, repl, __ATOMIC_RELAXED);
                if (tp->flags & PG_WRPROTECTED)
                    tp->leaves--;
                if (shared)
                    spin_unlock(&ptshare_lock);
                if (repl)
                    swap_dup(*slot);
                as->resident--;
                page_put(pg);
                flush_where_runs(as, va);
                if (shared)
                    changed[nchanged++] = pte; /* its other holders come later: "seen" */
                n++;
            }
        }
    }
    for (struct aspace *as = aspace_all; as; as = as->next_all)
        spin_unlock(&as->lock);
    spin_unlock(&aspace_list_lock);
    if (n >= 0 && !repl && *slot != SWAP_NONE) {
        swap_unhold(*slot);
        *slot = SWAP_NONE;
    }
    return n;
}

/* Evicts pg (pinned by us, off the list). 1 if its mappings went. */
static int evict_frame(struct page *pg)
{
    uint64_t slot = swap_present() ? swap_slot_new() : SWAP_NONE;
    pg->flags |= PG_EVICTING;
    /* The swap I/O lock from before any PTE names the slot until its bytes
     * are written: a swap-in of the slot waits for them (swap_read). */
    int io = slot != SWAP_NONE;
    if (io)
        swap_io_begin();
    sleep_lock(&fork_gate);
    int n = unmap_everywhere(pg, &slot); /* slot becomes SWAP_NONE if the page was dropped */
    sleep_unlock(&fork_gate);
    if (slot != SWAP_NONE && n > 0) {
        if (swap_write_locked(slot, page_va(pg)) < 0)
            st.write_errors++;
        st.swap_outs++;
    } else if (n > 0) {
        st.drops++;
    }
    if (io)
        swap_io_end();
    if (slot != SWAP_NONE)
        swap_unhold(slot); /* ours; the PTEs hold theirs */
    pg->flags &= ~PG_EVICTING;
    return n > 0;
}

/* One step of the search: the head frame is kept or evicted. 1: a frame
 * was evicted; 0: go on; -1: the list is empty. */
static int evict_step(uint64_t visits)
{
    spin_lock(&lru.lock);
    if (lru.head == NIL) {
        spin_unlock(&lru.lock);
        return -1;
    }
    struct page *pg = frame(lru.head);
    page_get(pg); /* a pin: the frame stays ours to look at */
    spin_unlock(&lru.lock);

    int referenced = evict_policy->uses_referenced ? test_and_clear_referenced(pg) : 0;

    spin_lock(&lru.lock);
    int evict = 0;
    st.scans++;
    if ((pg->flags & PG_LRU) && lru.head == index_of(pg)) {
        evict = evict_policy->choose(&pg->evict_state, referenced, visits, lru.listed) || visits > 2 * lru.listed + 1;
        if (evict)
            list_unlink(pg), pg->flags &= ~PG_LRU;
        else
            lru.head = pg->lru_next; /* kept: the hand moves on */
    }
    spin_unlock(&lru.lock);
    int done = 0;
    if (evict) {
        done = evict_frame(pg);
        if (done)
            st.evictions++;
        else
            evict_track(pg->owner, (uint64_t)pg->vpn << PAGE_SHIFT, pg); /* back on the list, at the tail */
    }
    page_put(pg);
    return done;
}

uint64_t mm_reclaim(uint64_t want)
{
    if (!evict_on)
        return 0;
    sleep_lock(&reclaim_lock);
    uint64_t freed = 0, visits = 0;
    while (freed < want || !reclaimed_enough()) {
        int r = evict_step(visits++);
        if (r < 0 || visits > 4 * lru.listed + 16)
            break;
        if (r > 0) {
            freed++;
            visits = 0;
        }
    }
    /* Nothing evicted, but frames are there now (another process's
     * reclaim, or exits, while we waited for the lock): the caller may
     * go on. */
    if (!freed && !short_of_frames() && evict_may_alloc())
        freed = 1;
    if (!freed)
        st.reclaim_failed++;
    sleep_unlock(&reclaim_lock);
    return freed;
}

void evict_stat(struct evictstat *out)
{
    spin_lock(&lru.lock);
    *out = st;
    out->listed = lru.listed;
    out->cap = cap;
    spin_unlock(&lru.lock);
}
