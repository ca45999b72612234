/* Lazy sbrk (mm.alloc=lazy) and sbrklazy (either policy): a reservation
 * takes no frame, a page is zero-filled on its first touch and costs one
 * frame (plus, now and then, a page table), touching beyond the break
 * kills, shrinking over pages never touched gives every frame back, and a
 * failing sbrk returns SBRK_ERROR and changes nothing. Under eager, sbrk
 * still maps at once; the test expects by memstat's alloc_policy. */
#include "testlib.h"

#define PAGE 4096L
#define BIG_PAGES 16384L /* 64 MiB */
#define STRIDE 64L       /* the classic lazy tests touch every 64th page */
#define TABLE_SPAN 512L  /* pages one level-0 page table maps (2 MiB) */
#define SLACK 8L         /* frames a first call may cost (a stack or text page faulted in) */
#define GIB (1024L * 1024 * 1024)

static int lazy;

static int store_at(long addr)
{
    *(volatile char *)addr = 1;
    return 0;
}

static int load_at(long addr) { return *(volatile char *)addr == 0 ? 0 : 1; }

/* 64 MiB by sbrk: a reservation under lazy, mapped at once under eager;
 * every 64th page touched, then all of it given back. exact: the code and
 * stack this needs are already in (a second round), so frame counts must
 * return exactly. */
static void big_heap(int exact)
{
    char *start = sbrk(0);
    stack_private();
    struct memstat a = memstat_now();
    char *p = sbrk((int)(BIG_PAGES * PAGE));
    struct memstat b = memstat_now();
    CHECK(p == start, "sbrk of 64 MiB returned %p, break was %p", p, start);
    if (p == SBRK_ERROR)
        return;
    CHECK(b.pages_reserved >= a.pages_reserved + BIG_PAGES, "64 MiB more reserved, but pages_reserved went %lu -> %lu",
          a.pages_reserved, b.pages_reserved);
    long took = (long)(a.frames_free - b.frames_free);
    if (lazy) {
        CHECK(took <= SLACK, "lazy sbrk of 64 MiB took %ld frames", took);
        CHECK(b.pages_resident <= a.pages_resident + SLACK, "lazy sbrk made %ld pages resident",
              (long)(b.pages_resident - a.pages_resident));
    } else {
        CHECK(took >= BIG_PAGES, "eager sbrk of 64 MiB took only %ld frames", took);
        CHECK(b.pages_resident >= a.pages_resident + BIG_PAGES, "eager sbrk made only %ld pages resident",
              (long)(b.pages_resident - a.pages_resident));
    }

    long touched = 0;
    for (long i = 0; i < BIG_PAGES; i += STRIDE, touched++)
        *(long *)(p + i * PAGE) = (long)(p + i * PAGE);
    struct memstat c = memstat_now();
    took = (long)(b.frames_free - c.frames_free);
    if (lazy) {
        /* one frame per touched page, one level-0 table per 2 MiB */
        CHECK(took >= touched && took <= touched + BIG_PAGES / TABLE_SPAN + 2 + SLACK,
              "touching %ld lazy pages took %ld frames", touched, took);
        long faults = (long)(c.lazy_faults - b.lazy_faults);
        CHECK(faults >= touched && faults <= touched + SLACK, "touching %ld lazy pages took %ld lazy faults", touched,
              faults);
        CHECK(c.pages_resident >= b.pages_resident + touched, "touched pages not counted resident");
    } else {
        CHECK(took <= SLACK, "touching eagerly mapped pages took %ld frames", took);
        CHECK(c.lazy_faults == b.lazy_faults, "eager sbrk's pages were faulted in lazily (%lu faults)",
              c.lazy_faults - b.lazy_faults);
    }
    int wrong = 0, nonzero = 0;
    for (long i = 0; i < BIG_PAGES; i += STRIDE) {
        wrong += *(long *)(p + i * PAGE) != (long)(p + i * PAGE);
        nonzero += p[(i + STRIDE / 2) * PAGE + 123] != 0; /* a page never written */
    }
    CHECK(wrong == 0, "%d touched pages lost their value", wrong);
    CHECK(nonzero == 0, "%d untouched pages were not zero", nonzero);

    CHECK(sbrk((int)-(BIG_PAGES * PAGE)) == p + BIG_PAGES * PAGE, "shrinking 64 MiB");
    CHECK(sbrk(0) == start, "break not back");
    struct memstat d = memstat_now();
    CHECK(d.pages_reserved == a.pages_reserved, "pages_reserved %lu after the shrink, %lu before", d.pages_reserved,
          a.pages_reserved);
    /* The heap keeps the page tables it grew into (as in the classic
     * kernel): those are the caller's, in tables_mine. */
    long missing = (long)(a.frames_free + a.tables_mine) - (long)(d.frames_free + d.tables_mine);
    if (exact)
        CHECK(missing == 0, "the shrink gave back %ld frames too few", missing);
    else
        CHECK(missing <= SLACK, "the shrink gave back %ld frames too few", missing);
    CHECK(d.tables_mine - a.tables_mine <= BIG_PAGES / TABLE_SPAN + 2, "64 MiB of heap kept %lu tables",
          d.tables_mine - a.tables_mine);
}

/* The classic lazy_alloc pattern: 1 GiB reserved by sbrklazy under either
 * policy, a pointer stored every 64 pages, read back, all given back. */
static void gib_pattern(void)
{
    char *start = sbrk(0);
    stack_private();
    struct memstat a = memstat_now();
    char *p = sbrklazy((int)GIB);
    CHECK(p == start, "sbrklazy(1 GiB) returned %p", p);
    if (p == SBRK_ERROR)
        return;
    struct memstat b = memstat_now();
    CHECK((long)(a.frames_free - b.frames_free) <= SLACK, "sbrklazy(1 GiB) took %ld frames",
          (long)(a.frames_free - b.frames_free));
    long touched = 0;
    for (char *q = p + PAGE; q < p + GIB; q += STRIDE * PAGE, touched++)
        *(char **)q = q;
    int wrong = 0;
    for (char *q = p + PAGE; q < p + GIB; q += STRIDE * PAGE)
        wrong += *(char **)q != q;
    CHECK(wrong == 0, "%d of %ld pages of the 1 GiB pattern read back wrong", wrong, touched);
    struct memstat c = memstat_now();
    long took = (long)(b.frames_free - c.frames_free);
    CHECK(took >= touched && took <= touched + GIB / PAGE / TABLE_SPAN + 4 + SLACK,
          "touching %ld pages of 1 GiB took %ld frames", touched, took);
    CHECK(sbrklazy((int)-GIB) == p + GIB, "sbrklazy(-1 GiB)");
    CHECK(sbrk(0) == start, "break not back after 1 GiB");
    struct memstat d = memstat_now();
    long missing = (long)(a.frames_free + a.tables_mine) - (long)(d.frames_free + d.tables_mine);
    CHECK(missing <= SLACK, "1 GiB given back, %ld frames missing", missing);
}

/* sbrklazy reserves only, whatever the policy; an eager sbrk on top of a
 * lazy reservation maps its own part; one shrink undoes both. */
static void lazy_under_any_policy(void)
{
    char *start = sbrk(0);
    stack_private();
    struct memstat a = memstat_now();
    char *p = sbrklazy((int)(4096 * PAGE));
    struct memstat b = memstat_now();
    CHECK(p == start, "sbrklazy(16 MiB) returned %p", p);
    if (p == SBRK_ERROR)
        return;
    CHECK((long)(a.frames_free - b.frames_free) <= SLACK, "sbrklazy(16 MiB) took %ld frames under %s",
          (long)(a.frames_free - b.frames_free), b.alloc_policy);
    CHECK(b.pages_reserved >= a.pages_reserved + 4096, "sbrklazy(16 MiB) reserved %ld pages",
          (long)(b.pages_reserved - a.pages_reserved));
    p[0] = 1;
    p[4095 * PAGE + 7] = 2;
    CHECK(p[100 * PAGE] == 0 && p[1] == 0, "fresh lazy memory not zero");
    struct memstat c = memstat_now();
    CHECK(c.lazy_faults >= b.lazy_faults + 2, "two stores to reserved pages: %lu lazy faults",
          c.lazy_faults - b.lazy_faults);
    CHECK((long)(b.frames_free - c.frames_free) <= 3 + 3 + SLACK, "three touched pages took %ld frames",
          (long)(b.frames_free - c.frames_free));

    char *q = sbrk((int)(8 * PAGE));
    CHECK(q == p + 4096 * PAGE, "sbrk after sbrklazy returned %p", q);
    struct memstat d = memstat_now();
    if (!lazy)
        CHECK((long)(c.frames_free - d.frames_free) >= 8, "eager sbrk after sbrklazy took %ld frames",
              (long)(c.frames_free - d.frames_free));
    memset(q, 0x33, 8 * PAGE);
    CHECK(p[0] == 1 && p[4095 * PAGE + 7] == 2, "lazy pages changed");
    CHECK(sbrk((int)-(4104 * PAGE)) == q + 8 * PAGE, "one shrink over lazy and eager parts");
    CHECK(sbrk(0) == start, "break not back");

    /* given back and reserved again: zero again */
    p = sbrklazy((int)(2 * PAGE));
    CHECK(p == start && p[0] == 0 && p[PAGE + 5] == 0, "reused lazy memory not zero");
    sbrklazy((int)(-2 * PAGE));
    struct memstat e = memstat_now();
    CHECK(e.frames_free + SLACK >= a.frames_free, "%ld frames missing after the shrink",
          (long)(a.frames_free - e.frames_free));
}

/* Beyond the break nothing is mapped or reserved: a touch kills the
 * toucher, however far; the same after a shrink over touched pages. */
static void beyond_break(void)
{
    char *p = align_break();
    CHECK(sbrklazy((int)(4 * PAGE)) == p, "sbrklazy(4 pages)");
    CHECK(sbrk(0) == p + 4 * PAGE, "break after sbrklazy");
    CHECK(wait_status(spawn(store_at, (long)(p + 4 * PAGE - 1))) == 0, "the last reserved byte");
    CHECK(wait_status(spawn(store_at, (long)(p + 4 * PAGE))) == -1, "a store at the break did not kill");
    CHECK(wait_status(spawn(load_at, (long)(p + 4 * PAGE + 64 * PAGE))) == -1, "a load 64 pages beyond did not kill");
    CHECK(wait_status(spawn(store_at, (long)p + GIB)) == -1, "a store 1 GiB beyond did not kill");
    CHECK(wait_status(spawn(load_at, 0x3000000000L)) == -1, "a load at 192 GiB did not kill");
    /* touched, then given back: gone */
    p[0] = 'x';
    p[2 * PAGE] = 'y';
    CHECK(sbrk((int)(-4 * PAGE)) == p + 4 * PAGE, "shrink");
    CHECK(wait_status(spawn(load_at, (long)p)) == -1, "a load of a page given back did not kill");
    CHECK(wait_status(spawn(store_at, (long)(p + 2 * PAGE))) == -1, "a store to a page given back did not kill");
    /* the classic lazy_unmap: a child shrinks its own heap, then touches */
    char *r = sbrklazy((int)(16 * PAGE));
    r[5 * PAGE] = 1;
    int pid = fork();
    if (pid == 0) {
        sbrklazy((int)(-16 * PAGE));
        *(volatile char *)(r + 5 * PAGE) = 2;
        exit(0);
    }
    CHECK(wait_status(pid) == -1, "a child's store after its own shrink did not kill it");
    CHECK(r[5 * PAGE] == 1, "the parent's page changed");
    sbrklazy((int)(-16 * PAGE));
}

/* A failing sbrk returns SBRK_ERROR and changes nothing. */
static void sbrk_errors(char *heap_start)
{
    char *start = sbrk(0);
    stack_private();
    struct memstat a = memstat_now();
    int below = (int)(start - heap_start) + (int)PAGE; /* one page below the heap's start, well above 0 */
    CHECK(sbrk(-below) == SBRK_ERROR, "shrinking below the heap start did not fail");
    CHECK(sbrklazy(-below) == SBRK_ERROR, "sbrklazy below the heap start did not fail");
    CHECK(sbrk(0) == start, "a failed shrink moved the break");

    /* lazy reservations of 2 GiB each must stop before the stack */
    int refused = 0, n = 0;
    while (!refused && n < 200) {
        refused = sbrklazy(0x7fffffff) == SBRK_ERROR;
        n += !refused;
    }
    CHECK(refused, "sbrklazy reserved %d times 2 GiB: past the stack", n);
    CHECK((long)(sbrk(0) - start) == (long)n * 0x7fffffff, "a refused sbrklazy moved the break");
    for (int i = 0; i < n; i++)
        sbrklazy(-0x7fffffff);
    CHECK(sbrk(0) == start, "break not back after the big reservations");
    if (!lazy) {
        CHECK(sbrk((int)((a.frames_free + 16) * PAGE)) == SBRK_ERROR, "eager sbrk of more than free memory");
        for (int k = 0; k < 3; k++) {
            mmfail(k, 0);
            CHECK(sbrk((int)(8 * PAGE)) == SBRK_ERROR, "eager sbrk with %d allocations allowed", k);
            mmfail(-1, 0);
        }
    }
    /* a lazy reservation with no memory left: succeeds (it needs none) or
     * fails cleanly */
    mmfail(0, 0);
    char *r = sbrklazy((int)(8 * PAGE));
    mmfail(-1, 0);
    CHECK(r == SBRK_ERROR ? sbrk(0) == start : r == start, "sbrklazy with no memory: %p", r);
    if (r != SBRK_ERROR)
        sbrklazy((int)(-8 * PAGE));
    CHECK(sbrk(0) == start, "break not back");
    struct memstat b = memstat_now();
    CHECK(b.pages_reserved == a.pages_reserved, "failed sbrk calls reserved %ld pages",
          (long)(b.pages_reserved - a.pages_reserved));
    CHECK(b.frames_free + SLACK >= a.frames_free, "failed sbrk calls took %ld frames",
          (long)(a.frames_free - b.frames_free));
}

int main(void)
{
    char *heap_start = sbrk(0);
    test_begin("lazy_sbrk");
    lazy = alloc_lazy();
    big_heap(0);
    big_heap(1);
    gib_pattern();
    lazy_under_any_policy();
    beyond_break();
    sbrk_errors(heap_start);
    struct memstat ms = memstat_now();
    printf("lazy faults %lu, resident %lu, reserved %lu\n", ms.lazy_faults, ms.pages_resident, ms.pages_reserved);
    CHECK(sbrk(0) >= heap_start, "break below its start");
    sbrk((int)(heap_start - sbrk(0)));
    return test_end();
}
