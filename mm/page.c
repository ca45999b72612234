/* Frame allocator over the page-frame database. One free list under one
 * lock; allocation and freeing are O(1). */
#include "page.h"
#include "../drivers/fdt.h"
#include "../kernel/spinlock.h"
#include "../kernel/string.h"
#include "../kernel/panic.h"

struct page *page_db;
uint64_t page_db_base_pa;
uint64_t page_db_nframes;

static struct spinlock free_lock = {0, "page_free", 0};
static struct page *free_list;
static uint64_t nfree, nusable, nallocs;
static int64_t fail_after = -1;

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

struct page *page_alloc(int zero)
{
    uint32_t flags = 0;
    spin_lock(&free_lock);
    struct page *pg = free_list;
    if (pg && fail_after >= 0 && fail_after-- == 0)
        pg = 0;
    if (pg) {
        free_list = pg->next;
        nfree--;
        nallocs++;
    }
    if (pg) {
        if (pg->refcount != 0 || !(pg->flags & PG_FREE))
            panic("page_alloc: frame %lx on the free list with refcount %u flags %x", page_to_pa(pg), pg->refcount,
                  pg->flags);
        flags = pg->flags;
        pg->flags = 0;
        pg->next = 0;
        __atomic_store_n(&pg->refcount, 1, __ATOMIC_RELAXED);
    }
    spin_unlock(&free_lock);
    if (!pg)
        return 0;
    check_poison(pg, flags);
    if (zero)
        page_zero(page_va(pg));
    return pg;
}

void page_get(struct page *pg)
{
    /* Relaxed: a new reference orders nothing; dropping one does (page_put). */
    /* LAB refcount BEGIN: one more reference to the frame; other harts may take or drop theirs meanwhile */
    __atomic_fetch_add(&pg->refcount, 1, __ATOMIC_RELAXED);
    /* LAB refcount STUB
    (void)pg;
       LAB refcount END */
}

void page_put_slow(struct page *pg, uint32_t old, uint32_t flags)
{
    if (old == 0 || (flags & (PG_FREE | PG_RESERVED)))
        panic("page_put: frame %lx refcount %u flags %x", page_to_pa(pg), old, flags);
    uint32_t poisoned = poison(pg); /* ours alone: the count is 0, not yet listed */
    spin_lock(&free_lock);
    pg->flags = PG_FREE | poisoned;
    pg->next = free_list;
    free_list = pg;
    nfree++;
    spin_unlock(&free_lock);
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
        nfree++;
        nusable++;
        spin_unlock(&free_lock);
        n++;
    }
    return n;
}

void page_copy(void *dst, const void *src)
{
    uint64_t *d = dst;
    const uint64_t *s = src;
    for (int i = 0; i < (int)(PAGE_SIZE / 8); i += 8) {
        uint64_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
        uint64_t f = s[i + 4], g = s[i + 5], h = s[i + 6], k = s[i + 7];
        d[i] = a, d[i + 1] = b, d[i + 2] = c, d[i + 3] = e;
        d[i + 4] = f, d[i + 5] = g, d[i + 6] = h, d[i + 7] = k;
    }
}

void page_zero(void *dst)
{
    uint64_t *d = dst;
    for (int i = 0; i < (int)(PAGE_SIZE / 8); i += 8) {
        d[i] = 0, d[i + 1] = 0, d[i + 2] = 0, d[i + 3] = 0;
        d[i + 4] = 0, d[i + 5] = 0, d[i + 6] = 0, d[i + 7] = 0;
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

void page_lock_allocator(void) { spin_lock(&free_lock); }
void page_unlock_allocator(void) { spin_unlock(&free_lock); }

uint64_t page_free_list_length(void)
{
    uint64_t n = 0;
    for (struct page *pg = free_list; pg && n <= page_db_nframes; pg = pg->next)
        n++;
    return n;
}
