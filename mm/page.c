/* Frame allocator over the page-frame database: one global free list under
 * one lock, with a small cache of free frames per hart in front of it
 * (labs/locks). A hart allocates from and frees to its own cache, which
 * has a lock of its own that only it takes in the common case; it goes to
 * the global list only to refill or drain its cache a batch at a time, so
 * the global lock is taken about once per PCACHE_BATCH operations rather
 * than on every one. Allocation and freeing are O(1).
 *
 * nfree counts every free frame, on the global list or in a cache, so the
 * free count stays exact whichever hart holds a frame. */
#include "page.h"
#include "evict.h"
#include "../drivers/fdt.h"
#include "../include/rvos/allocstat.h"
#include "../kernel/spinlock.h"
#include "../kernel/string.h"
#include "../kernel/panic.h"

struct page *page_db;
uint64_t page_db_base_pa;
uint64_t page_db_nframes;

static struct spinlock free_lock = {0, "page_free", 0};
static struct page *free_list;
static uint64_t nfree, nusable, nallocs; /* nfree and nallocs: atomic */
static int64_t fail_after = -1;          /* under free_lock; read unlocked as a hint */

/* The global lock's statistics, under free_lock (allocstat). */
static uint64_t lock_acquires, lock_contended, lock_spins;
/* Atomic. */
static uint64_t cache_allocs, cache_frees, ncached;

/* A hart's cache: a LIFO list of at most PCACHE_HIGH free frames. Lock
 * order: a cache, then free_lock; never two caches at once. */
#define PCACHE_BATCH 16
#define PCACHE_HIGH (4 * PCACHE_BATCH)
struct pcache {
    struct spinlock lock;
    struct page *list;
    uint64_t n;
} __attribute__((aligned(64))); /* one cache line each: no false sharing */
static struct pcache pcache[MAX_HARTS];

/* Takes free_lock, counting how often it was found held and how many
 * attempts the wait took: the contention the caches are there to cut. */
static void global_lock(void)
{
    uint64_t spins = 0;
    while (!spin_trylock(&free_lock))
        spins++;
    lock_acquires++;
    if (spins) {
        lock_contended++;
        lock_spins += spins;
    }
}

static void global_unlock(void) { spin_unlock(&free_lock); }

/* A frame leaves the free lists (for page_alloc): called with the lock of
 * the list it was on held, so that the audit, which holds every list
 * still, always finds the flags, the count and the lists in agreement.
 * Returns the flags it had (for the poison check). */
static uint32_t frame_taken(struct page *pg)
{
    if (pg->refcount != 0 || !(pg->flags & PG_FREE))
        panic("page_alloc: frame %lx on the free list with refcount %u flags %x", page_to_pa(pg), pg->refcount,
              pg->flags);
    uint32_t flags = pg->flags;
    pg->flags = 0;
    pg->next = 0;
    __atomic_store_n(&pg->refcount, 1, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&nfree, 1, __ATOMIC_RELAXED);
    return flags;
}

/* The reverse, with the lock of the list it goes on held. */
static void frame_freed(struct page *pg, uint32_t poisoned)
{
    __atomic_store_n(&pg->refcount, 0, __ATOMIC_RELAXED);
    pg->flags = PG_FREE | poisoned;
    __atomic_fetch_add(&nfree, 1, __ATOMIC_RELAXED);
}

/* The global list alone, one frame at a time: the allocator the lab
 * starts from (the stubs in page_alloc and page_free_frame call these). */
__attribute__((unused)) static struct page *global_take(uint32_t *flags)
{
    global_lock();
    struct page *pg = free_list;
    if (pg) {
        free_list = pg->next;
        *flags = frame_taken(pg);
    }
    global_unlock();
    return pg;
}

__attribute__((unused)) static void global_give(struct page *pg, uint32_t poisoned)
{
    global_lock();
    frame_freed(pg, poisoned);
    pg->next = free_list;
    free_list = pg;
    global_unlock();
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) { return a < b + blen && b < a + alen; }

static int frame_reserved(uint64_t pa, const struct mem_range *res, int nres)
{
    for (int i = 0; i < nres; i++)
        if (overlaps(pa, PAGE_SIZE, res[i].base, res[i].size))
            return 1;
    return 0;
}

static int frame_in_ram(uint64_t pa, const struct mem_range *ram, int nram)
{
    for (int i = 0; i < nram; i++)
        if (pa >= ram[i].base && pa + PAGE_SIZE <= ram[i].base + ram[i].size)
            return 1;
    return 0;
}

void page_db_init(const struct mem_range *ram, int nram, const struct mem_range *reserved, int nreserved)
{
    uint64_t lo = ~0UL, hi = 0;
    for (int i = 0; i < nram; i++) {
        if (PAGE_ROUND_UP(ram[i].base) < lo)
            lo = PAGE_ROUND_UP(ram[i].base);
        if (PAGE_ROUND_DOWN(ram[i].base + ram[i].size) > hi)
            hi = PAGE_ROUND_DOWN(ram[i].base + ram[i].size);
    }
    if (lo >= hi)
        panic("page_db_init: no memory");
    page_db_base_pa = lo;
    page_db_nframes = (hi - lo) >> PAGE_SHIFT;

    /* The database itself lives in the first free stretch big enough. */
    uint64_t db_bytes = PAGE_ROUND_UP(page_db_nframes * sizeof(struct page));
    uint64_t db_pa = 0;
    for (uint64_t pa = lo; pa + db_bytes <= hi && !db_pa; pa += PAGE_SIZE) {
        uint64_t q = pa;
        while (q < pa + db_bytes && frame_in_ram(q, ram, nram) && !frame_reserved(q, reserved, nreserved))
            q += PAGE_SIZE;
        if (q == pa + db_bytes)
            db_pa = pa;
        else
            pa = q; /* skip past the obstacle */
    }
    if (!db_pa)
        panic("page_db_init: no room for %lu bytes of struct page", db_bytes);
    page_db = pa_to_va(db_pa);
    memset(page_db, 0, db_bytes);

    /* Walk downwards so the free list hands out low addresses first. */
    for (uint64_t i = page_db_nframes; i-- > 0;) {
        uint64_t pa = lo + (i << PAGE_SHIFT);
        struct page *pg = &page_db[i];
        if (!frame_in_ram(pa, ram, nram) || frame_reserved(pa, reserved, nreserved) ||
            overlaps(pa, PAGE_SIZE, db_pa, db_bytes)) {
            pg->flags = PG_RESERVED;
            pg->refcount = 1;
            continue;
        }
        pg->flags = PG_FREE;
        pg->next = free_list;
        free_list = pg;
        nfree++;
        nusable++;
    }
    for (int i = 0; i < MAX_HARTS; i++)
        spin_init(&pcache[i].lock, "page_cache");
}

#ifdef RVOS_DEBUG
/* Debug kernels fill every freed frame with junk, as some teaching kernels
 * do, and check at allocation that nobody wrote to it meanwhile: a use
 * after free then shows up as garbage in the user of the stale pointer or
 * as a panic here, not as a silent sharing of one frame by two owners. */
#define PAGE_POISON 0x5a5a5a5a5a5a5a5aUL

static uint32_t poison(struct page *pg)
{
    uint64_t *w = page_va(pg);
    for (uint64_t i = 0; i < PAGE_SIZE / 8; i++)
        w[i] = PAGE_POISON;
    return PG_POISON;
}

static void check_poison(struct page *pg, uint32_t flags)
{
    if (!(flags & PG_POISON))
        return;
    const uint64_t *w = page_va(pg);
    for (uint64_t i = 0; i < PAGE_SIZE / 8; i++)
        if (w[i] != PAGE_POISON)
            panic("page_alloc: frame %lx written after it was freed (offset %lu: %lx)", page_to_pa(pg), i * 8, w[i]);
}
#else
static uint32_t poison(struct page *pg)
{
    (void)pg;
    return 0;
}
static void check_poison(struct page *pg, uint32_t flags)
{
    (void)pg;
    (void)flags;
}
#endif

/* LAB locks BEGIN: pcache_take: from this hart's cache, refilled by the batch; else steal */
static struct page *pcache_take(uint32_t *flags)
{
    int me = cpu_index();
    struct pcache *c = &pcache[me];
    spin_lock(&c->lock);
    if (!c->list) {
        /* Refill: move up to a batch off the global list in one go, in
         * list order, so that low addresses still go out first. */
        global_lock();
        struct page *first = free_list, *last = 0;
        uint64_t n = 0;
        for (struct page *pg = free_list; pg && n < PCACHE_BATCH; pg = pg->next, n++)
            last = pg;
        if (last) {
            free_list = last->next;
            last->next = 0;
            c->list = first;
            c->n = n;
            __atomic_fetch_add(&ncached, n, __ATOMIC_RELAXED);
        }
        global_unlock();
    } else {
        __atomic_fetch_add(&cache_allocs, 1, __ATOMIC_RELAXED);
    }
    struct page *pg = c->list;
    if (pg) {
        c->list = pg->next;
        c->n--;
        __atomic_fetch_sub(&ncached, 1, __ATOMIC_RELAXED);
        *flags = frame_taken(pg);
    }
    spin_unlock(&c->lock);
    /* The global list is empty too, but other harts' caches may not be:
     * a free frame must never be out of reach, or page_free_count() would
     * promise memory that page_alloc() cannot give. One cache at a time,
     * with ours released, so two harts stealing cannot deadlock. */
    for (int i = 0; !pg && i < MAX_HARTS; i++) {
        if (i == me)
            continue;
        struct pcache *v = &pcache[i];
        spin_lock(&v->lock);
        if ((pg = v->list) != 0) {
            v->list = pg->next;
            v->n--;
            __atomic_fetch_sub(&ncached, 1, __ATOMIC_RELAXED);
            *flags = frame_taken(pg);
        }
        spin_unlock(&v->lock);
    }
    return pg;
}
/* LAB locks END */

/* LAB locks BEGIN: pcache_give: keep a freed frame in this hart's cache; drain a batch when it is full */
static void pcache_give(struct page *pg, uint32_t poisoned)
{
    struct pcache *c = &pcache[cpu_index()];
    spin_lock(&c->lock);
    frame_freed(pg, poisoned);
    pg->next = c->list;
    c->list = pg;
    c->n++;
    __atomic_fetch_add(&ncached, 1, __ATOMIC_RELAXED);
    if (c->n <= PCACHE_HIGH) {
        __atomic_fetch_add(&cache_frees, 1, __ATOMIC_RELAXED);
    } else {
        /* Give the oldest batch back (the tail), keep the recent frames,
         * which are likelier to be in the data cache. */
        struct page *keep_last = c->list;
        for (uint64_t i = 1; i < c->n - PCACHE_BATCH; i++)
            keep_last = keep_last->next;
        struct page *first = keep_last->next, *last = first;
        while (last->next)
            last = last->next;
        keep_last->next = 0;
        c->n -= PCACHE_BATCH;
        __atomic_fetch_sub(&ncached, PCACHE_BATCH, __ATOMIC_RELAXED);
        global_lock();
        last->next = free_list;
        free_list = first;
        global_unlock();
    }
    spin_unlock(&c->lock);
}
/* LAB locks END */

/* Puts a frame nobody references back where page_alloc finds it. */
static void page_free_frame(struct page *pg, uint32_t poisoned)
{
    /* Any hart may free any frame: it goes where this hart allocates. */
    /* LAB locks BEGIN: free into this hart's cache */
    pcache_give(pg, poisoned);
    /* LAB locks STUB
    global_give(pg, poisoned);
       LAB locks END */
}

/* Fault injection (page_fail_after): whether this allocation, which has
 * found a frame, must fail instead. Running out of memory does not use up
 * the injection, hence the check after a frame was found. */
static int injected_failure(void)
{
    if (__atomic_load_n(&fail_after, __ATOMIC_RELAXED) < 0)
        return 0;
    spin_lock(&free_lock);
    int fail = fail_after >= 0 && fail_after-- == 0;
    spin_unlock(&free_lock);
    return fail;
}

struct page *page_alloc(int zero)
{
    struct page *pg;
    uint32_t flags = 0;
    /* LAB locks BEGIN: allocate from this hart's cache */
    pg = pcache_take(&flags);
    /* LAB locks STUB
    pg = global_take(&flags);
       LAB locks END */
    if (!pg)
        return 0;
    if (injected_failure()) {
        page_free_frame(pg, flags & PG_POISON); /* untouched: still poisoned if it was */
        return 0;
    }
    __atomic_fetch_add(&nallocs, 1, __ATOMIC_RELAXED);
    check_poison(pg, flags);
    if (zero)
        page_zero(page_va(pg));
    return pg;
}

/* Superpages (mm/superpage.h): runs of SUPER_FRAMES free frames, the
 * first at a physical address aligned to their size. The free lists are
 * singly linked and unordered, so runs are found in the database (their
 * flags read with every list held still), marked PG_TAKING, and taken off
 * the lists in one pass over each: a pass costs the length of the free
 * list, so a caller that wants several runs (a large sbrk) asks for them
 * at once. */
static uint64_t super_hint; /* the run index where the last search stopped */

static uint64_t unlink_taking(struct page **list)
{
    uint64_t n = 0;
    for (struct page **pp = list; *pp;) {
        struct page *pg = *pp;
        if (pg->flags & PG_TAKING) {
            *pp = pg->next;
            n++;
        } else {
            pp = &pg->next;
        }
    }
    return n;
}

static int run_free(const struct page *run)
{
    for (uint64_t k = 0; k < SUPER_FRAMES; k++)
        if ((__atomic_load_n(&run[k].flags, __ATOMIC_RELAXED) & (PG_FREE | PG_TAKING)) != PG_FREE)
            return 0;
    return 1;
}

int page_alloc_supers(struct page **runs, int want, int zero)
{
    /* Fault injection counts single frames: tests that arm it expect
     * every allocation to be one, so no superpage is made meanwhile. */
    if (want <= 0 || __atomic_load_n(&fail_after, __ATOMIC_RELAXED) >= 0)
        return 0;
    if (want > SUPER_BATCH)
        want = SUPER_BATCH;
    uint64_t aligned = (page_db_base_pa + SUPER_BYTES - 1) & ~(uint64_t)(SUPER_BYTES - 1);
    uint64_t first = (aligned - page_db_base_pa) >> PAGE_SHIFT;
    if (first + SUPER_FRAMES > page_db_nframes)
        return 0;
    uint64_t nruns = (page_db_nframes - first) / SUPER_FRAMES;
    uint64_t start = __atomic_load_n(&super_hint, __ATOMIC_RELAXED) % nruns;
    int got = 0;
    page_lock_allocator();
    for (uint64_t t = 0; t < nruns && got < want && page_free_count() >= (uint64_t)(got + 1) * SUPER_FRAMES; t++) {
        struct page *run = &page_db[first + (start + t) % nruns * SUPER_FRAMES];
        if (!run_free(run))
            continue;
        for (uint64_t k = 0; k < SUPER_FRAMES; k++)
            run[k].flags |= PG_TAKING;
        runs[got++] = run;
        __atomic_store_n(&super_hint, (start + t + 1) % nruns, __ATOMIC_RELAXED);
    }
    uint64_t poisoned[SUPER_FRAMES / 64 * SUPER_BATCH] = {0};
    if (got) {
        uint64_t n = unlink_taking(&free_list);
        for (int i = 0; i < MAX_HARTS; i++) {
            uint64_t c = unlink_taking(&pcache[i].list);
            pcache[i].n -= c;
            __atomic_fetch_sub(&ncached, c, __ATOMIC_RELAXED);
            n += c;
        }
        if (n != (uint64_t)got * SUPER_FRAMES)
            panic("page_alloc_supers: %lu of the %d runs' free frames were on a free list", n, got);
        for (int r = 0; r < got; r++)
            for (uint64_t k = 0; k < SUPER_FRAMES; k++) {
                uint64_t bit = (uint64_t)r * SUPER_FRAMES + k;
                if (frame_taken(&runs[r][k]) & PG_POISON)
                    poisoned[bit / 64] |= 1UL << (bit % 64);
            }
    }
    page_unlock_allocator();
    /* Not counted in nallocs (page_alloc calls): memstat counts
     * superpages on their own (superpages_made). */
    for (int r = 0; r < got; r++)
        for (uint64_t k = 0; k < SUPER_FRAMES; k++) {
            uint64_t bit = (uint64_t)r * SUPER_FRAMES + k;
            check_poison(&runs[r][k], (poisoned[bit / 64] >> (bit % 64)) & 1 ? PG_POISON : 0);
            if (zero)
                page_zero(page_va(&runs[r][k]));
        }
    return got;
}

void page_put_slow(struct page *pg, uint32_t old, uint32_t flags)
{
    if (old == 0 || (flags & (PG_FREE | PG_RESERVED)))
        panic("page_put: frame %lx refcount %u flags %x", page_to_pa(pg), old, flags);
    if (flags & PG_LRU)
        evict_forget(pg);
    uint32_t poisoned = poison(pg); /* ours alone: the count is 0, not yet listed */
    page_free_frame(pg, poisoned);
}

uint64_t page_release_reserved(uint64_t pa, uint64_t size)
{
    uint64_t lo = PAGE_ROUND_UP(pa), hi = PAGE_ROUND_DOWN(pa + size), n = 0;
    for (uint64_t f = lo; f < hi; f += PAGE_SIZE) {
        if (f < page_db_base_pa || ((f - page_db_base_pa) >> PAGE_SHIFT) >= page_db_nframes)
            continue;
        struct page *pg = pa_to_page(f);
        if (!(pg->flags & PG_RESERVED))
            continue;
        spin_lock(&free_lock);
        pg->flags = PG_FREE;
        pg->refcount = 0;
        pg->next = free_list;
        free_list = pg;
        __atomic_fetch_add(&nfree, 1, __ATOMIC_RELAXED);
        nusable++;
        spin_unlock(&free_lock);
        n++;
    }
    return n;
}

#ifdef RVOS_DEBUG
/* The put-before-copy window (page.h): per hart, whether a window is open
 * and the frame this hart last dropped a reference to in it. Only the
 * hart itself touches its slot, with interrupts off (the caller holds a
 * spinlock). */
static struct {
    int open;
    struct page *dropped;
} put_window[MAX_HARTS];

void page_debug_open(void) { put_window[cpu_index()] = (typeof(put_window[0])){1, 0}; }
void page_debug_close(void) { put_window[cpu_index()].open = 0; }
void page_debug_put(struct page *pg)
{
    if (put_window[cpu_index()].open)
        put_window[cpu_index()].dropped = pg;
}
/* A copy from the frame this hart dropped in its open window: the copy
 * could read a frame freed and reused meanwhile. Stops the kernel there,
 * with the frame, rather than letting poisoned data spread. */
static void check_copy_source(const void *src)
{
    struct page *pg = put_window[cpu_index()].dropped;
    if (put_window[cpu_index()].open && pg && PAGE_ROUND_DOWN((uint64_t)src) == (uint64_t)page_va(pg))
        panic("page_copy: copying from frame %lx after dropping its reference (use after page_put: copy "
              "first, then put)",
              page_to_pa(pg));
}
#endif

void page_copy(void *dst, const void *src)
{
#ifdef RVOS_DEBUG
    check_copy_source(src);
#endif
    uint64_t *d = dst;
    const uint64_t *s = src;
    for (int i = 0; i < (int)(PAGE_SIZE / 8); i += 8) {
        uint64_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
        uint64_t f = s[i + 4], g = s[i + 5], h = s[i + 6], k = s[i + 7];
        d[i] = a, d[i + 1] = b, d[i + 2] = c, d[i + 3] = e;
        d[i + 4] = f, d[i + 5] = g, d[i + 6] = h, d[i + 7] = k;
    }
}

/* 16 stores a round: the loop's own add and branch then cost 64
 * instructions a page instead of 128 (a lazy fault is ~1,500 all told). */
void page_zero(void *dst)
{
    uint64_t *d = dst, *end = d + PAGE_SIZE / 8;
    for (; d < end; d += 16) {
#pragma GCC unroll 16
        for (int i = 0; i < 16; i++)
            d[i] = 0;
    }
}

uint64_t page_free_count(void) { return __atomic_load_n(&nfree, __ATOMIC_RELAXED); }
uint64_t page_usable_count(void) { return nusable; }
uint64_t page_alloc_count(void) { return __atomic_load_n(&nallocs, __ATOMIC_RELAXED); }

void page_fail_after(int64_t n)
{
    spin_lock(&free_lock);
    fail_after = n;
    spin_unlock(&free_lock);
}

/* Every list still: each cache (in index order), then the global list.
 * Allocation and freeing hold a cache before free_lock too, so the order
 * is the same everywhere. */
void page_lock_allocator(void)
{
    /* LAB locks BEGIN: hold every cache still too */
    for (int i = 0; i < MAX_HARTS; i++)
        spin_lock(&pcache[i].lock);
    /* LAB locks END */
    spin_lock(&free_lock);
}

void page_unlock_allocator(void)
{
    spin_unlock(&free_lock);
    /* LAB locks BEGIN: let the caches go */
    for (int i = MAX_HARTS; i-- > 0;)
        spin_unlock(&pcache[i].lock);
    /* LAB locks END */
}

uint64_t page_free_list_length(void)
{
    uint64_t n = 0;
    for (struct page *pg = free_list; pg && n <= page_db_nframes; pg = pg->next)
        n++;
    /* LAB locks BEGIN: count the frames in every cache as well */
    for (int i = 0; i < MAX_HARTS; i++)
        for (struct page *pg = pcache[i].list; pg && n <= page_db_nframes; pg = pg->next)
            n++;
    /* LAB locks END */
    return n;
}

void page_allocstat(struct allocstat *out)
{
    memset(out, 0, sizeof *out);
    spin_lock(&free_lock);
    out->lock_acquires = lock_acquires;
    out->lock_contended = lock_contended;
    out->lock_spins = lock_spins;
    spin_unlock(&free_lock);
    out->cache_allocs = __atomic_load_n(&cache_allocs, __ATOMIC_RELAXED);
    out->cache_frees = __atomic_load_n(&cache_frees, __ATOMIC_RELAXED);
    out->cached = __atomic_load_n(&ncached, __ATOMIC_RELAXED);
}
