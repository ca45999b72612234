/* fork and lazily reserved memory, under every fork policy: a fork shares
 * or copies only the pages that are present (a 64 MiB reservation with a
 * few pages touched forks cheaply even under copy); parent, children and
 * grandchildren fault pages in concurrently on four harts, each sees the
 * parent's bytes of the pages present at fork, zero in the rest, and only
 * its own stores; OOM on a lazy fault kills only the faulting process, and
 * nothing leaks. */
#include "testlib.h"

#define PAGE 4096L
#define PAGES 1024L /* the shared workload: 4 MiB, every other page present at fork */
#define WORKERS 4
#define BIG_PAGES 16384L /* 64 MiB */

static char *region;

static char parent_byte(long page) { return (char)('A' + page % 23); }
static char parent_late_byte(long page) { return (char)('a' + page % 19); }
static char worker_byte(long w, long page) { return (char)(0x40 + w * 16 + page % 13); }

/* What page i of the region holds at offset off for someone who forked
 * from the parent and has stored nothing: the parent's bytes in the even
 * pages (present at fork), zero in the odd ones (absent at fork). */
static char inherited(long i) { return i % 2 == 0 ? parent_byte(i) : 0; }

/* A worker (or, with grand set, its child) checks what it inherited and
 * stores its own byte at offset 64 * w of every page, in page order from
 * a start that differs per worker, so that the workers fault in different
 * pages at the same time. Halfway the worker forks a child that checks
 * what the worker had stored by then and does the same with its own byte.
 * Returns 0 or a failure code. */
static int work(long w, int grand, long done_before)
{
    long off = 64 * w + 8;
    int bad = 0;
    /* pages already stored by our parent worker (grandchild only) */
    for (long k = 0; k < PAGES; k++) {
        long i = (k + w * PAGES / WORKERS) % PAGES;
        char want = (grand && k < done_before) ? worker_byte(w, i) : inherited(i);
        if (region[i * PAGE + off] != want || region[i * PAGE + 4000] != inherited(i))
            bad++;
    }
    if (bad)
        return 10 + grand;
    char mine = grand ? 1 : 0;
    int child = -1;
    for (long k = 0; k < PAGES; k++) {
        long i = (k + w * PAGES / WORKERS) % PAGES;
        region[i * PAGE + off] = (char)(worker_byte(w, i) + mine);
        if (!grand && k == PAGES / 2 - 1) {
            child = fork();
            if (child == 0)
                exit(work(w, 1, PAGES / 2));
            if (child < 0)
                return 20;
        }
    }
    for (long k = 0; k < PAGES; k++) {
        long i = (k + w * PAGES / WORKERS) % PAGES;
        if (region[i * PAGE + off] != (char)(worker_byte(w, i) + mine) || region[i * PAGE + 4000] != inherited(i))
            bad++;
    }
    if (bad)
        return 30 + grand;
    if (child > 0 && wait_status(child) != 0)
        return 40;
    return 0;
}

static int worker(long w) { return work(w, 0, 0); }

static void concurrent_faults(void)
{
    region = sbrklazy((int)(PAGES * PAGE));
    CHECK(region != SBRK_ERROR, "sbrklazy");
    if (region == SBRK_ERROR)
        return;
    for (long i = 0; i < PAGES; i += 2)
        memset(region + i * PAGE, parent_byte(i), PAGE);
    int pids[WORKERS];
    for (long w = 0; w < WORKERS; w++)
        pids[w] = spawn(worker, w);
    /* meanwhile the parent faults in the odd pages itself */
    for (long i = 1; i < PAGES; i += 2)
        memset(region + i * PAGE, parent_late_byte(i), PAGE);
    for (int w = 0; w < WORKERS; w++) {
        int st = wait_status(pids[w]);
        CHECK(st == 0, "worker %d exited %d", w, st);
    }
    int bad = 0;
    for (long i = 0; i < PAGES; i++)
        for (long j = 0; j < PAGE; j += 509)
            bad += region[i * PAGE + j] != (i % 2 ? parent_late_byte(i) : parent_byte(i));
    CHECK(bad == 0, "%d bytes of the parent's region changed", bad);
    sbrklazy((int)(-PAGES * PAGE));
}

/* A 64 MiB reservation, 64 pages of it touched: the fork costs frames for
 * what is present only, whatever the policy. The child stays alive (it
 * waits on a pipe) while the parent counts. */
static void fork_copies_present_only(void)
{
    char *big = sbrklazy((int)(BIG_PAGES * PAGE));
    CHECK(big != SBRK_ERROR, "sbrklazy(64 MiB)");
    if (big == SBRK_ERROR)
        return;
    for (long i = 0; i < BIG_PAGES; i += 256)
        big[i * PAGE] = (char)(i / 256 + 1);
    int go[2];
    CHECK(pipe(go) == 0, "pipe");
    stack_private();
    struct memstat a = memstat_now();
    int pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        int bad = 0;
        for (long i = 0; i < BIG_PAGES; i += 256)
            bad += big[i * PAGE] != (char)(i / 256 + 1) || big[(i + 128) * PAGE] != 0;
        big[7 * PAGE] = 'c'; /* absent at fork: the child's own zero page */
        exit(bad ? 1 : 0);
    }
    struct memstat b = memstat_now();
    long cost = (long)(a.frames_free - b.frames_free);
    /* 64 touched pages, 32 level-0 tables of the region, the rest of a small
     * program (text, data, stack, tables): far below 64 MiB */
    CHECK(cost < 64 + 32 + 200, "fork of a 64 MiB reservation with 64 pages present took %ld frames", cost);
    CHECK(b.pages_reserved >= a.pages_reserved + BIG_PAGES, "the child reserves the 64 MiB too");
    close(go[0]);
    write(go[1], "g", 1);
    close(go[1]);
    CHECK(wait_status(pid) == 0, "the child saw wrong bytes");
    CHECK(big[7 * PAGE] == 0, "the child's store to a page absent at fork reached the parent");
    sbrklazy((int)(-BIG_PAGES * PAGE));
}

/* The child touches a page absent at fork after the parent stored to it
 * (and the other way round): each sees zero and then its own byte. */
static void absent_at_fork(void)
{
    char *p = sbrklazy((int)(4 * PAGE));
    if (p == SBRK_ERROR)
        return;
    int go[2];
    pipe(go);
    int pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1); /* the parent has stored to page 0 by now */
        int ok = p[0] == 0 && p[2 * PAGE] == 0;
        p[0] = 'k';
        exit(ok && p[0] == 'k' ? 0 : 1);
    }
    close(go[0]);
    p[0] = 'p';
    write(go[1], "g", 1);
    close(go[1]);
    CHECK(wait_status(pid) == 0, "a page absent at fork: the child saw the parent's later store");
    CHECK(p[0] == 'p' && p[2 * PAGE] == 0, "the parent saw the child's store");
    sbrklazy((int)(-4 * PAGE));
}

/* OOM on a lazy fault: no frame for the store (mmfail), the faulting
 * child is killed, the parent and its pages are untouched, nothing leaks. */
static void oom_on_lazy_fault(void)
{
    char *p = sbrklazy((int)(8 * PAGE));
    if (p == SBRK_ERROR)
        return;
    p[0] = 'm'; /* present: the parent's */
    unsigned long before = free_frames();
    struct memstat a = memstat_now();
    int st = store_without_memory(p + 5 * PAGE, 'x');
    CHECK(st == -1, "a child storing to a lazy page with no memory left exited %d", st);
    struct memstat b = memstat_now();
    CHECK(b.oom_kills >= a.oom_kills + 1, "oom_kills did not count it");
    CHECK(free_frames() == before, "OOM kill on a lazy fault: %ld frames missing", (long)(before - free_frames()));
    CHECK(p[0] == 'm' && p[5 * PAGE] == 0, "the parent's pages changed");

    /* the same for a page absent in a child of a child under real pressure:
     * a child that touches far more than memory holds is killed, alone */
    before = free_frames();
    int pid = fork();
    if (pid == 0) {
        struct memstat ms = memstat_now();
        long want = (long)ms.frames_free + 1024; /* more than is free */
        char *q = sbrklazy((int)(want * PAGE));
        if (q == SBRK_ERROR)
            exit(3);
        for (long i = 0; i < want; i++)
            q[i * PAGE] = 1;
        exit(4); /* never: memory ran out on the way */
    }
    st = wait_status(pid);
    CHECK(st == -1, "a child touching more than free memory exited %d", st);
    CHECK(free_frames() == before, "after the OOM kill %ld frames are missing", (long)(before - free_frames()));
    CHECK(mmaudit() == 0, "audit after the OOM kill");
    sbrklazy((int)(-8 * PAGE));
}

int main(void)
{
    char *heap_start = sbrk(0);
    test_begin("lazy_fork");
    concurrent_faults();
    concurrent_faults(); /* again, on frames just freed */
    fork_copies_present_only();
    absent_at_fork();
    oom_on_lazy_fault();
    struct memstat ms = memstat_now();
    printf("forks %lu, lazy faults %lu, cow faults %lu, oom kills %lu\n", ms.forks, ms.lazy_faults, ms.cow_faults,
           ms.oom_kills);
    sbrk((int)(heap_start - sbrk(0)));
    return test_end();
}
