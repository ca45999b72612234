/* Host unit tests for mm/page.c, the page-frame database and allocator.
 *
 * "Physical memory" is a page-aligned heap arena. With KERNBASE defined as
 * 0 the kernel's direct map is the identity, so the arena's host address
 * is its physical address and page.c can write through pa_to_va() as it
 * does on the machine.
 *
 * page.c keeps its state in statics that only page_db_init() sets up, and
 * only once. So every group runs in a child forked from a process in the
 * right state: the groups with layouts of their own before this process
 * calls page_db_init(), the others after it has set up the main layout.
 * Misuse that panics runs one level further down, in a grandchild, since
 * it leaves the database inconsistent. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "drivers/fdt.h"
#include "kstubs.h"
#include "mm/page.h"

#define P PAGE_SIZE

static uint8_t *arena;   /* the fake RAM, and everything around it */
static uint64_t A;       /* its physical (= host) address */
static uint64_t nframes; /* frames in the arena */

/* The layout page_db_init() was given, for the model below. */
static const struct mem_range *ram_ranges, *res_ranges;
static int nram, nres;

static uint8_t *arena_alloc(uint64_t frames)
{
    uint8_t *p = aligned_alloc(P, frames * P);
    if (!p) {
        printf("cannot allocate %lu frames of fake RAM\n", (unsigned long)frames);
        exit(2);
    }
    /* A canary everywhere, to show later which frames were written. */
    memset(p, 0xc3, frames * P);
    arena = p;
    A = (uint64_t)(uintptr_t)p;
    nframes = frames;
    return p;
}

static void init_db(const struct mem_range *ram, int nr, const struct mem_range *res, int nrs)
{
    ram_ranges = ram, nram = nr;
    res_ranges = res, nres = nrs;
    page_db_init(ram, nr, res, nrs);
}

/* ---------------------------------------------------------------- model */

/* What the frame allocator may hand out, restated from its contract
 * rather than from its code: a frame wholly inside some RAM range, not
 * touching any reserved range, and not holding the database itself. */
static int model_in_ram(uint64_t pa)
{
    for (int i = 0; i < nram; i++)
        if (ram_ranges[i].base <= pa && pa + P <= ram_ranges[i].base + ram_ranges[i].size)
            return 1;
    return 0;
}

static int model_reserved(uint64_t pa)
{
    for (int i = 0; i < nres; i++) {
        uint64_t b = res_ranges[i].base, e = b + res_ranges[i].size;
        if (b < pa + P && pa < e)
            return 1;
    }
    return 0;
}

static uint64_t db_bytes(void) { return PAGE_ROUND_UP(page_db_nframes * sizeof(struct page)); }

static int model_in_db(uint64_t pa)
{
    uint64_t db = (uint64_t)(uintptr_t)page_db;
    return pa < db + db_bytes() && db < pa + P;
}

static int model_usable(uint64_t pa) { return model_in_ram(pa) && !model_reserved(pa) && !model_in_db(pa); }

static uint64_t frame_pa(uint64_t i) { return A + i * P; }
static uint64_t frame_index(const struct page *pg) { return (page_to_pa(pg) - A) / P; }

static uint64_t model_usable_count(void)
{
    uint64_t n = 0;
    for (uint64_t i = 0; i < nframes; i++)
        n += (uint64_t)model_usable(frame_pa(i));
    return n;
}

static int frame_all(uint64_t i, uint8_t byte)
{
    const uint8_t *p = arena + i * P;
    for (uint64_t k = 0; k < P; k++)
        if (p[k] != byte)
            return 0;
    return 1;
}

static uint64_t free_list_length_locked(void)
{
    page_lock_allocator();
    uint64_t n = page_free_list_length();
    page_unlock_allocator();
    return n;
}

/* The invariants every group must leave behind: nothing leaked, the list
 * and the counter agree, and every lock taken was released. */
static void check_at_rest(void)
{
    CHECK_EQ(page_free_count(), page_usable_count());
    CHECK_EQ(free_list_length_locked(), page_free_count());
    CHECK_EQ(kstub_locks.held, 0);
    CHECK_EQ(kstub_locks.recursive, 0);
    CHECK_EQ(kstub_locks.unheld, 0);
    CHECK_EQ(kstub_locks.acquires, kstub_locks.releases);
}

/* ------------------------------------------------ layouts in a fresh child */

/* RAM too small for the database at its start: [0, 2) and [600, 1100)
 * frames. The 1100 frames of struct page need 9 frames, so the database
 * goes to frame 600, and the two low frames are still handed out. */
static void layout_db_in_second_range(void *unused)
{
    (void)unused;
    arena_alloc(1100);
    static struct mem_range ram[2];
    ram[0] = (struct mem_range){A, 2 * P};
    ram[1] = (struct mem_range){A + 600 * P, 500 * P};
    init_db(ram, 2, 0, 0);
    CHECK_EQ(page_db_nframes, 1100);
    CHECK_EQ(db_bytes(), 9 * P);
    CHECK_EQ((uint64_t)(uintptr_t)page_db, A + 600 * P);
    CHECK_EQ(page_usable_count(), 2 + 500 - 9);
    CHECK_EQ(page_usable_count(), model_usable_count());
    struct page *a = page_alloc(0), *b = page_alloc(0), *c = page_alloc(0);
    if (CHECK(a && b && c)) {
        CHECK_EQ(frame_index(a), 0);
        CHECK_EQ(frame_index(b), 1);
        CHECK_EQ(frame_index(c), 609); /* the first frame after the database */
        page_put(c), page_put(b), page_put(a);
    }
    /* The hole between the ranges is not RAM: marked, never managed. */
    CHECK(page_db[2].flags & PG_RESERVED);
    CHECK(page_db[599].flags & PG_RESERVED);
    CHECK(!pa_is_managed(frame_pa(300)));
    CHECK(frame_all(300, 0xc3));
    check_at_rest();
}

/* One aligned range, nothing reserved: the database takes frame 0. */
static void layout_single_range(void *unused)
{
    (void)unused;
    arena_alloc(16);
    static struct mem_range ram[1];
    ram[0] = (struct mem_range){A, 16 * P};
    init_db(ram, 1, 0, 0);
    CHECK_EQ((uint64_t)(uintptr_t)page_db, A);
    CHECK_EQ(page_db_base_pa, A);
    CHECK_EQ(page_db_nframes, 16);
    CHECK_EQ(page_usable_count(), 15);
    CHECK_EQ(page_free_count(), 15);
    CHECK(!pa_is_managed(A));
    CHECK(pa_is_managed(A + P));
    struct page *pg[15];
    int n = 0;
    while (n < 15 && (pg[n] = page_alloc(PAGE_ZERO)))
        n++;
    CHECK_EQ(n, 15);
    CHECK(page_alloc(0) == 0);
    for (int i = 0; i < n; i++)
        page_put(pg[i]);
    check_at_rest();
}

/* page_db_init() with nothing it can use must stop the kernel. */
struct bad_layout {
    const char *name;
    uint64_t frames;
    int nram;
    int (*make)(struct mem_range *ram, struct mem_range *res); /* returns nres */
    const char *expect;                                        /* a word of the panic message */
};

static int make_no_ram(struct mem_range *ram, struct mem_range *res)
{
    (void)ram, (void)res;
    return 0;
}

/* A range smaller than one frame rounds to nothing. */
static int make_tiny_ram(struct mem_range *ram, struct mem_range *res)
{
    (void)res;
    ram[0] = (struct mem_range){A + 100, 2000};
    return 0;
}

/* Ends exactly where its first whole frame would begin: both bounds round
 * to the same address, zero frames. */
static int make_empty_ram(struct mem_range *ram, struct mem_range *res)
{
    (void)res;
    ram[0] = (struct mem_range){A + 100, P - 100};
    return 0;
}

/* 4096 frames need 32 frames of struct page, but every 16th frame is
 * reserved, so no stretch is long enough. */
static int make_fragmented(struct mem_range *ram, struct mem_range *res)
{
    ram[0] = (struct mem_range){A, 4096 * P};
    for (int i = 0; i < 256; i++)
        res[i] = (struct mem_range){A + (uint64_t)i * 16 * P + 8 * P, 1};
    return 256;
}

static void layout_must_panic(void *argp)
{
    const struct bad_layout *bl = argp;
    arena_alloc(bl->frames);
    static struct mem_range ram[4], res[256];
    int nr = bl->make(ram, res);
    jmp_buf jb;
    kstub_panic_jmp = &jb;
    if (setjmp(jb) == 0) {
        page_db_init(ram, bl->nram, res, nr);
        check_record(0, __FILE__, __LINE__, "page_db_init returned instead of panicking");
    } else {
        char what[600];
        snprintf(what, sizeof what, "panic message \"%s\" mentions \"%s\"", kstub_panic_msg, bl->expect);
        check_record(strstr(kstub_panic_msg, bl->expect) != 0, __FILE__, __LINE__, what);
    }
}

static void test_bad_layouts(void)
{
    group_begin("layout: unusable memory panics");
    static const struct bad_layout bad[] = {
        {"no ram ranges", 1, 0, make_no_ram, "no memory"},
        {"range below one frame", 1, 1, make_tiny_ram, "no memory"},
        {"range rounding to zero frames", 1, 1, make_empty_ram, "no memory"},
        {"no stretch for the database", 4096, 1, make_fragmented, "no room"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_in_child(bad[i].name, layout_must_panic, (void *)&bad[i]);
    group_end();
}

/* ------------------------------------------------------------ main layout */

/* 1024 frames of arena (frame numbers relative to its start):
 *
 *   RAM 1    [0, 400) plus 123 bytes of frame 400 (a partial frame: not RAM)
 *   hole     [400, 448)
 *   RAM 2    starts 100 bytes before frame 448 (frame 447 partial), to 1024
 *
 *   reserved [0, 2)        firmware
 *            5             8 bytes in its middle: the whole frame goes
 *            10
 *            20, 21        2 bytes: the last of frame 20, the first of 21
 *            [396, 399)
 *            [410, 420)    inside the hole, which must change nothing
 *            [1020, 1120)  running off the end of RAM
 *            a range far below the arena, which must change nothing
 *
 * RAM frames: 400 + 576 = 976; reserved among them: 2+1+1+2+3+4 = 13.
 * The database (1024 * 32 bytes = 8 frames) goes to the first stretch of
 * 8 free frames: [2, 5) and [6, 10) are too short, so frames 11..18.
 * Usable: 976 - 13 - 8 = 955. The RAM ranges are listed out of order, and
 * no reserved range covers the partial frames 400 and 447, so only the
 * RAM bounds keep the allocator off them. */
#define MAIN_FRAMES 1024
#define MAIN_USABLE 955
#define MAIN_DB_FRAME 11
static struct mem_range main_ram[2], main_res[8];

static void setup_main_layout(void)
{
    arena_alloc(MAIN_FRAMES);
    main_ram[0] = (struct mem_range){A + 448 * P - 100, (MAIN_FRAMES - 448) * P + 100};
    main_ram[1] = (struct mem_range){A, 400 * P + 123};
    main_res[0] = (struct mem_range){A, 2 * P};
    main_res[1] = (struct mem_range){A + 5 * P + 100, 8};
    main_res[2] = (struct mem_range){A + 10 * P, P};
    main_res[3] = (struct mem_range){A + 21 * P - 1, 2};
    main_res[4] = (struct mem_range){A + 396 * P, 3 * P};
    main_res[5] = (struct mem_range){A + 410 * P, 10 * P};
    main_res[6] = (struct mem_range){A + 1020 * P, 100 * P};
    main_res[7] = (struct mem_range){0x1000, 0x1000};
    kstub_reset_locks();
    init_db(main_ram, 2, main_res, 8);
}

static void test_init(void *unused)
{
    (void)unused;
    CHECK_EQ(page_db_base_pa, A);
    CHECK_EQ(page_db_nframes, MAIN_FRAMES);
    CHECK_EQ(db_bytes(), 8 * P);
    CHECK_EQ((uint64_t)(uintptr_t)page_db, frame_pa(MAIN_DB_FRAME));
    /* The database in RAM, clear of every reserved range. */
    int db_ok = 1;
    for (uint64_t pa = (uint64_t)(uintptr_t)page_db; pa < (uint64_t)(uintptr_t)page_db + db_bytes(); pa += P)
        db_ok &= model_in_ram(pa) && !model_reserved(pa);
    CHECK(db_ok);

    CHECK_EQ(page_usable_count(), MAIN_USABLE);
    CHECK_EQ(page_usable_count(), model_usable_count());
    CHECK_EQ(page_free_count(), page_usable_count());

    /* Each frame's entry says what the model says it is. */
    int flags_ok = 1, managed_ok = 1, clean = 1, links_ok = 1;
    for (uint64_t i = 0; i < nframes; i++) {
        const struct page *pg = &page_db[i];
        int usable = model_usable(frame_pa(i));
        if (usable)
            flags_ok &= pg->flags == PG_FREE && pg->refcount == 0;
        else
            flags_ok &= pg->flags == PG_RESERVED && pg->refcount == 1;
        managed_ok &= pa_is_managed(frame_pa(i)) == usable;
        /* The rest of every entry starts clear: the audit relies on its
         * scratch field, and a stale link is a corrupt free list. */
        clean &= pg->audit == 0 && pg->leaves == 0;
        if (usable)
            links_ok &= pg->next == 0 || (pg->next > pg && pg->next < page_db + nframes);
        else
            links_ok &= pg->next == 0;
    }
    CHECK(flags_ok);
    CHECK(managed_ok);
    CHECK(clean);
    CHECK(links_ok);
    CHECK(!pa_is_managed(frame_pa(400))); /* the partial frames */
    CHECK(!pa_is_managed(frame_pa(447)));
    CHECK(!pa_is_managed(A + nframes * P)); /* one past the end */
    CHECK(!pa_is_managed(A - P));           /* one before the start */

    /* Building the database wrote to the database and nowhere else. */
    int untouched = 1;
    for (uint64_t i = 0; i < nframes; i++)
        if (!model_in_db(frame_pa(i)))
            untouched &= frame_all(i, 0xc3);
    CHECK(untouched);
    check_at_rest();
}

static void test_pa_round_trip(void *unused)
{
    (void)unused;
    int ok = 1;
    for (uint64_t i = 0; i < nframes; i++) {
        uint64_t pa = frame_pa(i);
        struct page *pg = &page_db[i];
        ok &= page_to_pa(pg) == pa;
        ok &= pa_to_page(pa) == pg;
        ok &= pa_to_page(pa + 1) == pg && pa_to_page(pa + P - 1) == pg; /* any byte of the frame */
        ok &= page_va(pg) == (void *)(uintptr_t)pa;                     /* KERNBASE = 0 */
    }
    CHECK(ok);
    CHECK(pa_to_page(A) == page_db);
    CHECK(pa_to_page(A + (nframes - 1) * P) == &page_db[nframes - 1]);
}

static void test_alloc_order(void *unused)
{
    (void)unused;
    /* Frames 0-1 reserved, 2-4 free, 5 reserved, 6-9 free, 10 reserved,
     * 11-18 the database, 19 free, 20-21 reserved, then free. */
    static const uint64_t expect[] = {2, 3, 4, 6, 7, 8, 9, 19, 22, 23, 24, 25};
    const int n = sizeof expect / sizeof expect[0];
    struct page *pg[sizeof expect / sizeof expect[0]];
    for (int i = 0; i < n; i++) {
        pg[i] = page_alloc(0);
        if (CHECK(pg[i]))
            CHECK_EQ(frame_index(pg[i]), expect[i]);
    }
    CHECK_EQ(page_free_count(), MAIN_USABLE - n);
    for (int i = 0; i < n; i++)
        if (pg[i])
            page_put(pg[i]);
    check_at_rest();
}

static void test_refcount(void *unused)
{
    (void)unused;
    uint64_t before = page_free_count();
    struct page *pg = page_alloc(0);
    if (!CHECK(pg))
        return;
    CHECK_EQ(page_refcount(pg), 1);
    CHECK_EQ(pg->flags, 0);
    CHECK(!(pg->flags & PG_FREE));
    CHECK_EQ(page_free_count(), before - 1);
    CHECK(pa_is_managed(page_to_pa(pg)));

    page_get(pg);
    page_get(pg);
    CHECK_EQ(page_refcount(pg), 3);
    page_put(pg);
    CHECK_EQ(page_refcount(pg), 2);
    CHECK_EQ(page_free_count(), before - 1);
    page_put(pg);
    CHECK_EQ(page_refcount(pg), 1);
    CHECK_EQ(page_free_count(), before - 1);
    CHECK_EQ(free_list_length_locked(), before - 1);
    CHECK(!(pg->flags & PG_FREE));

    page_put(pg); /* the last reference */
    CHECK_EQ(page_refcount(pg), 0);
    CHECK_EQ(page_free_count(), before);
    CHECK_EQ(free_list_length_locked(), before);
    CHECK(pg->flags & PG_FREE);

    /* Freed frames are reused first (the list is LIFO), so the frame is
     * really back on the list, not just counted. */
    struct page *again = page_alloc(0);
    CHECK(again == pg);
    CHECK_EQ(page_refcount(again), 1);
    if (again)
        page_put(again);

    /* Many references, released in a burst. */
    pg = page_alloc(0);
    if (CHECK(pg)) {
        for (int i = 0; i < 1000; i++)
            page_get(pg);
        CHECK_EQ(page_refcount(pg), 1001);
        for (int i = 0; i < 1000; i++)
            page_put(pg);
        CHECK_EQ(page_free_count(), before - 1);
        page_put(pg);
    }
    check_at_rest();
}

static void test_zero(void *unused)
{
    (void)unused;
    struct page *pg = page_alloc(0), *neighbour = page_alloc(0);
    if (!CHECK(pg && neighbour))
        return;
    memset(page_va(pg), 0x5a, P);
    memset(page_va(neighbour), 0x77, P);
    page_put(pg);
    struct page *z = page_alloc(PAGE_ZERO);
    CHECK(z == pg); /* the same, dirty frame: the list is LIFO */
    if (z) {
        CHECK(frame_all(frame_index(z), 0));
        /* Clearing stays inside the frame. */
        CHECK(frame_all(frame_index(neighbour), 0x77));
        page_put(z);
    }
    page_put(neighbour);

    /* Every frame, not just one: dirty them all, free them all, and
     * allocate them all zeroed. */
    struct page **all = calloc(nframes, sizeof *all);
    uint64_t n = 0;
    while ((all[n] = page_alloc(0)))
        memset(page_va(all[n++]), 0xee, P);
    for (uint64_t i = 0; i < n; i++)
        page_put(all[i]);
    int zeroed = 1;
    for (uint64_t i = 0; i < n; i++) {
        all[i] = page_alloc(PAGE_ZERO);
        zeroed &= all[i] && frame_all(frame_index(all[i]), 0);
    }
    CHECK(zeroed);
    for (uint64_t i = 0; i < n; i++)
        if (all[i])
            page_put(all[i]);
    free(all);
    check_at_rest();
}

/* The unrolled whole-frame routines, on three frames of the arena: the
 * middle one is the target, the outer two must come through untouched. */
static void test_copy_zero(void *unused)
{
    (void)unused;
    struct page *f[4];
    for (int i = 0; i < 4; i++)
        f[i] = page_alloc(0);
    if (!CHECK(f[0] && f[1] && f[2] && f[3]))
        return;
    /* Frames 2, 3, 4 are consecutive (see test_alloc_order); frame 6
     * is the source. */
    uint8_t *lo = page_va(f[0]), *mid = page_va(f[1]), *hi = page_va(f[2]), *src = page_va(f[3]);
    CHECK(mid == lo + P && hi == mid + P);
    memset(lo, 0x11, P);
    memset(mid, 0x22, P);
    memset(hi, 0x33, P);
    for (uint64_t k = 0; k < P; k++)
        src[k] = (uint8_t)(k * 7 + k / 256); /* no two nearby bytes alike */

    page_copy(mid, src);
    CHECK(memcmp(mid, src, P) == 0);
    CHECK(frame_all(frame_index(f[0]), 0x11));
    CHECK(frame_all(frame_index(f[2]), 0x33));
    int src_ok = 1;
    for (uint64_t k = 0; k < P; k++)
        src_ok &= src[k] == (uint8_t)(k * 7 + k / 256);
    CHECK(src_ok);

    page_zero(mid);
    CHECK(frame_all(frame_index(f[1]), 0));
    CHECK(frame_all(frame_index(f[0]), 0x11));
    CHECK(frame_all(frame_index(f[2]), 0x33));

    for (int i = 0; i < 4; i++)
        page_put(f[i]);
    check_at_rest();
}

static void test_exhaustion(void *unused)
{
    (void)unused;
    uint8_t *seen = calloc(nframes, 1);
    struct page **all = calloc(nframes + 1, sizeof *all);
    uint64_t n = 0;
    int placement_ok = 1, fresh_ok = 1, unique = 1;
    uint64_t db = (uint64_t)(uintptr_t)page_db;
    while (n <= nframes && (all[n] = page_alloc(n & 1 ? PAGE_ZERO : 0))) {
        struct page *pg = all[n++];
        uint64_t pa = page_to_pa(pg);
        /* Inside the arena, frame aligned, usable: never reserved, never
         * in the hole, never the database. */
        placement_ok &= pa >= A && pa < A + nframes * P && pa % P == 0;
        placement_ok &= model_usable(pa) && !model_reserved(pa) && !(pa < db + db_bytes() && db < pa + P);
        fresh_ok &= page_refcount(pg) == 1 && pg->flags == 0 && pg->next == 0;
        if (pa >= A && pa < A + nframes * P) {
            uint64_t i = (pa - A) / P;
            unique &= !seen[i];
            seen[i] = 1;
            memset(arena + i * P, (int)(i & 0x7f) | 0x80, P); /* mine now: write it all */
        }
    }
    CHECK_EQ(n, MAIN_USABLE);
    CHECK(placement_ok);
    CHECK(fresh_ok);
    CHECK(unique);
    CHECK_EQ(page_free_count(), 0);
    CHECK_EQ(free_list_length_locked(), 0);
    CHECK(page_alloc(0) == 0);
    CHECK(page_alloc(PAGE_ZERO) == 0);
    CHECK_EQ(page_free_count(), 0);

    /* No owner's data was disturbed by the others' writes. */
    int intact = 1;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t i = frame_index(all[k]);
        intact &= frame_all(i, (uint8_t)((i & 0x7f) | 0x80));
    }
    CHECK(intact);

    /* Free in a scrambled order (a fixed permutation: stride coprime
     * with n), checking the count at each step. */
    uint64_t stride = 7;
    while (n % stride == 0)
        stride += 2;
    int counts_ok = 1;
    for (uint64_t k = 0; k < n; k++) {
        page_put(all[(k * stride) % n]);
        counts_ok &= page_free_count() == k + 1;
    }
    CHECK(counts_ok);
    CHECK_EQ(page_free_count(), MAIN_USABLE);

    /* Frames nobody may own still hold the canary: reserved frames, the
     * hole and the partial frames at the edges of RAM. */
    int canary = 1;
    for (uint64_t i = 0; i < nframes; i++)
        if (!model_usable(frame_pa(i)) && !model_in_db(frame_pa(i)))
            canary &= frame_all(i, 0xc3);
    CHECK(canary);

    /* And the whole supply can be had again. */
    n = 0;
    while (n <= nframes && (all[n] = page_alloc(0)))
        n++;
    CHECK_EQ(n, MAIN_USABLE);
    for (uint64_t k = 0; k < n; k++)
        page_put(all[k]);
    free(all);
    free(seen);
    check_at_rest();
}

static void test_fail_after(void *unused)
{
    (void)unused;
    uint64_t base = page_free_count();
    struct page *pg[8];

    /* n = 0: the very next allocation fails, and only that one. */
    page_fail_after(0);
    CHECK(page_alloc(0) == 0);
    CHECK_EQ(page_free_count(), base); /* a failure takes nothing */
    pg[0] = page_alloc(0);
    CHECK(pg[0]);
    if (pg[0])
        page_put(pg[0]);

    /* n = 3: three succeed, the fourth fails, later ones succeed: the
     * injection is one-shot (mm.fork OOM tests rely on recovering). */
    page_fail_after(3);
    int i;
    for (i = 0; i < 3; i++)
        CHECK((pg[i] = page_alloc(0)) != 0);
    CHECK(page_alloc(PAGE_ZERO) == 0);
    CHECK_EQ(page_free_count(), base - 3);
    for (; i < 6; i++)
        CHECK((pg[i] = page_alloc(0)) != 0);
    for (i = 0; i < 6; i++)
        if (pg[i])
            page_put(pg[i]);

    /* n < 0: never fail. Also cancels a pending injection. */
    page_fail_after(2);
    page_fail_after(-1);
    int ok = 1;
    for (i = 0; i < 8; i++)
        ok &= (pg[i] = page_alloc(0)) != 0;
    CHECK(ok);
    for (i = 0; i < 8; i++)
        if (pg[i])
            page_put(pg[i]);

    /* Re-arming replaces the countdown rather than adding to it. */
    page_fail_after(5);
    page_fail_after(1);
    pg[0] = page_alloc(0);
    CHECK(pg[0] != 0);
    CHECK(page_alloc(0) == 0);
    if (pg[0])
        page_put(pg[0]);

    /* Running out of memory does not use up the injection: with an
     * empty list, allocation fails by itself and the countdown stays. */
    struct page **all = calloc(nframes + 1, sizeof *all);
    uint64_t n = 0;
    while (n <= nframes && (all[n] = page_alloc(0)))
        n++;
    page_fail_after(0);
    CHECK(page_alloc(0) == 0); /* empty */
    if (!CHECK(n > 0)) {
        free(all);
        return;
    }
    page_put(all[--n]);
    CHECK(page_alloc(0) == 0); /* the injected failure, still pending */
    CHECK_EQ(page_free_count(), 1);
    all[n] = page_alloc(0);
    CHECK(all[n] != 0);
    if (all[n])
        n++;
    for (uint64_t k = 0; k < n; k++)
        page_put(all[k]);
    free(all);

    page_fail_after(-1);
    check_at_rest();
}

static void test_allocator_lock(void *unused)
{
    (void)unused;
    kstub_reset_locks();
    struct page *pg = page_alloc(0);
    CHECK(kstub_locks.acquires >= 1);
    CHECK_EQ(kstub_locks.held, 0); /* not held across the return */
    page_get(pg);
    page_put(pg);
    page_put(pg);
    CHECK_EQ(kstub_locks.held, 0);

    page_lock_allocator();
    CHECK(kstub_locks.held >= 1); /* the global list's lock, and any per-hart caches' */
    CHECK_EQ(page_free_list_length(), page_free_count());
    page_unlock_allocator();
    CHECK_EQ(kstub_locks.held, 0);

    /* With frames out, the list and the counter still agree. */
    struct page *a = page_alloc(0), *b = page_alloc(0);
    page_lock_allocator();
    uint64_t len = page_free_list_length();
    page_unlock_allocator();
    CHECK_EQ(len, page_free_count());
    CHECK_EQ(len, MAIN_USABLE - 2);
    page_put(a);
    page_put(b);
    check_at_rest();
}

/* --------------------------------------------------- misuse must panic */

/* Runs `misuse` and checks that it panics with a message naming `who`.
 * Always in a child: the misuse leaves the database inconsistent (a
 * double put has already decremented the count past zero), which is fine
 * for a kernel about to stop and not for the tests that follow. */
struct misuse {
    const char *name;
    void (*run)(void);
    const char *who;
};

static void double_put(void)
{
    struct page *pg = page_alloc(0);
    page_put(pg);
    page_put(pg);
}

static void put_reserved(void) { page_put(pa_to_page(A)); } /* frame 0: firmware */

static void put_database(void) { page_put(pa_to_page(frame_pa(MAIN_DB_FRAME))); }

static void put_never_allocated(void) { page_put(pa_to_page(frame_pa(2))); } /* free, count 0 */

/* A frame on the free list with a non-zero count means the list is
 * corrupt; page_alloc() must refuse to hand it out. */
static void alloc_corrupt_head(void)
{
    struct page *pg = page_alloc(0);
    page_put(pg); /* now the head of the list */
    page_get(pg); /* a stale reference taken after the free */
    page_alloc(0);
}

static void run_misuse(void *argp)
{
    const struct misuse *m = argp;
    jmp_buf jb;
    kstub_panic_jmp = &jb;
    if (setjmp(jb) == 0) {
        m->run();
        check_record(0, __FILE__, __LINE__, "misuse returned instead of panicking");
    } else {
        char what[700];
        snprintf(what, sizeof what, "%s: panic message \"%s\" names %s", m->name, kstub_panic_msg, m->who);
        check_record(strstr(kstub_panic_msg, m->who) != 0, __FILE__, __LINE__, what);
    }
}

static void test_misuse(void *unused)
{
    (void)unused;
    static const struct misuse cases[] = {
        {"double page_put", double_put, "page_put"},
        {"page_put of a reserved frame", put_reserved, "page_put"},
        {"page_put of a database frame", put_database, "page_put"},
        {"page_put of a never-allocated frame", put_never_allocated, "page_put"},
        {"page_alloc with a referenced frame on the list", alloc_corrupt_head, "page_alloc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_in_child(cases[i].name, run_misuse, (void *)&cases[i]);
    /* The children's damage stayed in the children. */
    check_at_rest();
}

int main(void)
{
    /* Fresh layouts first, in children of a process that has not yet
     * called page_db_init(). */
    check_group("layout: database skips a range too small for it", layout_db_in_second_range, 0);
    check_group("layout: one range, nothing reserved", layout_single_range, 0);
    test_bad_layouts();

    /* Then the main layout, set up here once; each group runs in a child
     * of this process, so a crash or an unexpected panic fails that group
     * alone. Every group also leaves the allocator as it found it, which
     * check_at_rest() verifies. */
    setup_main_layout();
    check_group("page_db_init: database placement and frame accounting", test_init, 0);
    check_group("pa_to_page / page_to_pa / page_va round trip", test_pa_round_trip, 0);
    check_group("allocation order: lowest usable frames first", test_alloc_order, 0);
    check_group("refcounts: get/put, freed exactly at zero", test_refcount, 0);
    check_group("PAGE_ZERO: a dirtied frame comes back cleared", test_zero, 0);
    check_group("page_copy / page_zero: exactly one frame", test_copy_zero, 0);
    check_group("exhaustion: every usable frame once, then none; frees restore all", test_exhaustion, 0);
    check_group("page_fail_after: one injected failure after n successes", test_fail_after, 0);
    check_group("allocator lock: balance, page_lock_allocator, list length", test_allocator_lock, 0);
    check_group("misuse panics: double put, put of reserved or free frames", test_misuse, 0);
    return check_summary();
}
