/* The page-frame database: one struct page per usable 4 KiB frame of RAM.
 *
 * A frame's refcount counts every reference to it: each user PTE that maps
 * it, plus each kernel owner (a page-table page, a pipe buffer, a kernel
 * stack...). page_put() returns the frame to the allocator exactly when the
 * count drops to zero. The audit (mm/audit.c) proves the user part. */
#ifndef RVOS_MM_PAGE_H
#define RVOS_MM_PAGE_H
#include <stdint.h>
#include "../arch/riscv/memlayout.h"

enum page_flags {
    PG_RESERVED = 1 << 0, /* firmware, kernel image, device tree, initrd, this database */
    PG_FREE = 1 << 1,     /* on the free list */
    PG_PAGETABLE = 1 << 2,
    PG_USER = 1 << 3,   /* mapped into user space */
    PG_KERNEL = 1 << 4, /* owned by a kernel object (pipe, file data, ...) */
    PG_POISON = 1 << 5, /* debug kernels: free, and filled with PAGE_POISON */
    /* A level-0 page table none of whose leaves has W, whose `leaves`
     * counts its valid entries: set when the odf policy first shares it,
     * cleared whenever one of its entries is written (aspace_pte_private).
     * Lets a later fork share it again without reading its 512 entries. */
    PG_WRPROTECTED = 1 << 6,
    PG_LRU = 1 << 7,      /* a mapped user frame on the eviction list (mm/evict.c) */
    PG_EVICTING = 1 << 8, /* held by the evictor while it unmaps and writes it out */
    PG_TAKING = 1 << 9,   /* free, chosen for a superpage: leaving the free lists (page_alloc_supers) */
};

struct aspace;
struct page {
    uint32_t refcount; /* atomic */
    uint32_t flags;
    uint16_t audit;      /* scratch for mm/audit.c: mappings found */
    uint8_t evict_state; /* a user frame on the eviction list: its policy's byte (mm/evict.h) */
    uint8_t unused;
    union {
        uint32_t leaves; /* a level-0 table with PG_WRPROTECTED: its valid entries */
        uint32_t vpn;    /* a user frame (PG_LRU): the virtual page it is mapped at (the reverse map) */
    };
    union {
        struct page *next;    /* free-list link while PG_FREE */
        struct aspace *owner; /* a user frame (PG_LRU): the address space that mapped it first (a hint) */
    };
    /* A user frame on the eviction list (PG_LRU): its neighbours there, as
     * frame numbers (mm/evict.c). The 32 bytes are a power of two: a
     * PTE's frame number becomes its struct page with a shift and an add
     * (pte_page); they are 0.8 % of RAM, and the reverse map lives in
     * them: a frame is mapped at one virtual address (fork keeps it, and
     * nothing maps a frame twice), in the owner and the address spaces
     * forked from it, so vpn plus a walk of the address spaces finds
     * every PTE that maps it, at no memory cost per mapping. */
    uint32_t lru_prev, lru_next;
};
_Static_assert(sizeof(struct page) == 32, "pte_page and page_map assume a power of two");

struct mem_range;
/* Builds the database over the given RAM ranges, excluding the reserved
 * ones. Everything not reserved ends up on the free list. */
void page_db_init(const struct mem_range *ram, int nram, const struct mem_range *reserved, int nreserved);

#define PAGE_ZERO 1 /* page_alloc: clear the frame */
struct page *page_alloc(int zero);
/* Superpages' frames (mm/superpage.h): up to `want` runs of
 * SUPER_FRAMES frames in a row, each run's first aligned to SUPER_BYTES,
 * each frame with its own count of 1; runs[i] is a run's first frame.
 * Returns how many runs it found (0 when none is free; at most
 * SUPER_BATCH). The frames are
 * ordinary frames from then on: each goes back on its own with its last
 * reference. Asking for several at once costs one pass over the free
 * lists instead of one per run. */
#define SUPER_FRAMES 512u
#define SUPER_BYTES (SUPER_FRAMES * PAGE_SIZE)
#define SUPER_BATCH 8 /* runs one call finds at most */
int page_alloc_supers(struct page **runs, int want, int zero);
/* One more reference. Inline: fork takes one per resident page. */
static inline void page_get(struct page *pg)
{
    /* LAB refcount BEGIN: one more reference to the frame; other harts may take or drop theirs meanwhile */
    /* Relaxed: a new reference orders nothing; dropping one does (page_put). */
    __atomic_fetch_add(&pg->refcount, 1, __ATOMIC_RELAXED);
    /* LAB refcount STUB
    (void)pg;
       LAB refcount END */
}
static inline uint32_t page_refcount(const struct page *pg) { return __atomic_load_n(&pg->refcount, __ATOMIC_RELAXED); }
/* The same, ordered before what the caller does next: for decisions that
 * then touch the frame (the COW fault's last-owner check). */
static inline uint32_t page_refcount_acquire(const struct page *pg)
{
    return __atomic_load_n(&pg->refcount, __ATOMIC_ACQUIRE);
}

extern struct page *page_db;
/* page_put's rare path: the last reference went, or a bug was found. */
void page_put_slow(struct page *pg, uint32_t old, uint32_t flags);

#ifdef RVOS_DEBUG
/* Debug kernels: the put-before-copy window. Between page_debug_open()
 * and page_debug_close() (a COW break: a fault or a copyout, under the
 * address space's lock), page_put() records the frame this hart dropped;
 * a page_copy() from that frame in the same window reads a frame the
 * caller no longer owns (its other owner may free it, and it be poisoned
 * and reused, at any moment): the kernel panics there, naming the frame.
 * Deterministic: no race has to be won for the bug to show. */
void page_debug_put(struct page *pg);
void page_debug_open(void);
void page_debug_close(void);
#else
static inline void page_debug_open(void) {}
static inline void page_debug_close(void) {}
#endif

/* Drops a reference; the frame returns to the allocator with the last.
 * Inline because teardown runs it once per resident page. */
static inline void page_put(struct page *pg)
{
#ifdef RVOS_DEBUG
    page_debug_put(pg); /* only notes pg: the put-before-copy window above */
#endif
    /* LAB refcount BEGIN: drop one reference; the last one (or a bug) goes to page_put_slow */
    /* Read the flags while our reference still pins them: after the
     * decrement another hart may drop the last reference and free it.
     * Acquire-release: every store this hart made to the frame happens
     * before another hart can see the count reach zero and reuse it. */
    uint32_t flags = pg->flags;
    /* Compared as signed: amoadd.w's result comes sign-extended, so the
     * compiler needs no extra instruction (counts stay far below 2^31). */
    int32_t old = (int32_t)__atomic_fetch_sub(&pg->refcount, 1, __ATOMIC_ACQ_REL);
    if (old <= 1 || (flags & (PG_FREE | PG_RESERVED)))
        page_put_slow(pg, old, flags);
    /* LAB refcount STUB
    uint32_t flags = pg->flags;
    __atomic_store_n(&pg->refcount, 0, __ATOMIC_RELEASE);
    page_put_slow(pg, 1, flags);
       LAB refcount END */
}
/* Drops a reference unless it is the last one: returns 1 if it dropped
 * one, 0 (count unchanged) if the caller holds the only reference, which
 * it must then release itself (page_put) after emptying what it owns. A
 * shared page table is dropped this way: its last holder also drops the
 * frames it maps. */
static inline int page_put_unless_last(struct page *pg)
{
    uint32_t old = __atomic_load_n(&pg->refcount, __ATOMIC_RELAXED);
    while (old > 1)
        if (__atomic_compare_exchange_n(&pg->refcount, &old, old - 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            return 1;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return 0;
}
extern uint64_t page_db_base_pa; /* physical address of page_db[0]'s frame */
extern uint64_t page_db_nframes;

static inline struct page *pa_to_page(uint64_t pa) { return &page_db[(pa - page_db_base_pa) >> PAGE_SHIFT]; }
/* The same for a loop over many PTEs (fork, teardown): the database's
 * place read once, before the loop, instead of twice per entry (an atomic
 * refcount update in the loop makes the compiler reload globals). */
struct page_map {
    uintptr_t bias; /* where page_db[-base_pfn] would be: one add per lookup, no subtract */
};
static inline struct page_map page_map_get(void)
{
    return (struct page_map){(uintptr_t)page_db - (page_db_base_pa >> PAGE_SHIFT) * sizeof(struct page)};
}
/* The struct page of the frame a valid PTE maps (bits 10..53: its frame
 * number; rvos sets none of the bits above). */
static inline struct page *pte_page(struct page_map m, uint64_t pte)
{
    return (struct page *)(m.bias + (pte >> 10) * sizeof(struct page));
}
static inline uint64_t page_to_pa(const struct page *pg)
{
    return page_db_base_pa + ((uint64_t)(pg - page_db) << PAGE_SHIFT);
}
static inline void *page_va(const struct page *pg) { return pa_to_va(page_to_pa(pg)); }
static inline int pa_is_managed(uint64_t pa)
{
    return pa >= page_db_base_pa && ((pa - page_db_base_pa) >> PAGE_SHIFT) < page_db_nframes &&
           !(pa_to_page(pa)->flags & PG_RESERVED);
}

/* Hands the whole frames inside [pa, pa+size), reserved at boot, to the
 * allocator (the initramfs, once unpacked). Returns how many. The caller
 * guarantees nothing else lives there. */
uint64_t page_release_reserved(uint64_t pa, uint64_t size);

/* Whole-frame copy and clear, unrolled: these are the inner loops of a
 * COW copy fault, an eager fork and every fresh user page. */
void page_copy(void *dst, const void *src);
void page_zero(void *dst);

uint64_t page_free_count(void);
uint64_t page_usable_count(void); /* frames the allocator manages */
uint64_t page_alloc_count(void);  /* successful page_alloc calls since boot */

/* For the audit: hold the allocator still while frames are checked. */
void page_lock_allocator(void);
void page_unlock_allocator(void);
uint64_t page_free_list_length(void); /* caller holds the allocator lock; caches included */
struct allocstat;
/* The global lock's and the per-hart caches' counters (allocstat). */
void page_allocstat(struct allocstat *out);

/* Fault injection for tests: after n more successful allocations, fail
 * once (n < 0: never). Lets a test reach out-of-memory paths precisely. */
void page_fail_after(int64_t n);
#endif
