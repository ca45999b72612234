/* The frame allocator under load on every hart (labs/locks): the per-hart
 * caches must keep the free count exact, the audit clean while others
 * allocate, every free frame reachable from any hart, and the global lock
 * out of the common path. Groups (one ctest entry each):
 *   stress    4 harts allocating, freeing and forking; an auditor beside them
 *   reach     frames cached on other harts can still all be allocated
 *   batching  (one hart) the global lock is taken for a small fraction of
 *             allocations and frees: the caches do their job */
#include "testlib.h"

#define PG 4096L

/* Grows the heap by pages, writes every page, shrinks it back. */
static int churn_once(long pages)
{
    char *p = sbrk((int)(pages * PG));
    if (p == (char *)-1)
        return -1;
    for (long i = 0; i < pages; i++)
        p[i * PG] = (char)i;
    for (long i = 0; i < pages; i++)
        if (p[i * PG] != (char)i)
            return -2;
    sbrk((int)(-pages * PG));
    return 0;
}

static int worker(long id)
{
    for (int round = 0; round < 40; round++) {
        if (churn_once(8 + (id * 7 + round * 13) % 57) < 0)
            return 1;
        if (round % 8 == 0) { /* forks too: page tables and COW frames */
            int pid = fork();
            if (pid == 0)
                exit(churn_once(5) == 0 ? 0 : 2);
            if (pid < 0 || wait_status(pid) != 0)
                return 3;
        }
    }
    return 0;
}

static volatile int stop_audit;

/* Audits over and over while the workers run: every audit must find the
 * free count, the frames marked free and the lists in agreement. */
static int auditor(long rounds)
{
    int bad = 0;
    for (long i = 0; i < rounds; i++)
        bad += mmaudit() != 0;
    return bad;
}

static void test_stress(void)
{
    unsigned long before = free_frames();
    int pids[9], n = 0;
    for (long i = 0; i < 8; i++)
        pids[n++] = spawn(worker, i);
    int aud = spawn(auditor, 200);
    for (int i = 0; i < n; i++)
        CHECK(wait_status(pids[i]) == 0, "worker %d", i);
    CHECK(wait_status(aud) == 0, "every concurrent audit was clean");
    CHECK(mmaudit() == 0, "audit afterwards");
    CHECK(free_frames() == before, "free count exact: %lu, was %lu", free_frames(), before);
}

static int fill_until_full(long unused)
{
    (void)unused;
    long got = 0;
    for (long chunk = 4096; chunk >= 1;) {
        if (sbrk((int)(chunk * PG)) == (char *)-1) {
            chunk /= 2;
            continue;
        }
        got += chunk;
    }
    /* What the kernel still calls free must be next to nothing: the sbrk
     * check keeps a few frames for page tables, nothing more. Frames
     * stranded in other harts' caches would show up here. */
    unsigned long left = free_frames();
    printf("filled %ld pages, %lu frames left free\n", got, left);
    return left <= 8 ? 0 : 1;
}

static void test_reach(void)
{
    unsigned long before = free_frames();
    /* Leave frames in the caches of whatever harts these ran on. */
    int pids[8];
    for (long i = 0; i < 8; i++)
        pids[i] = spawn(worker, i);
    for (int i = 0; i < 8; i++)
        CHECK(wait_status(pids[i]) == 0, "worker %d", i);
    int pid = spawn(fill_until_full, 0);
    CHECK(wait_status(pid) == 0, "every free frame could be allocated");
    CHECK(mmaudit() == 0, "audit");
    CHECK(free_frames() == before, "free count exact: %lu, was %lu", free_frames(), before);
}

static void test_batching(void)
{
    struct allocstat a0, a1;
    struct memstat m0, m1;
    CHECK(allocstat(&a0) == 0 && memstat(&m0) == 0, "counters");
    for (int i = 0; i < 8; i++)
        CHECK(churn_once(256) == 0, "churn %d", i);
    CHECK(allocstat(&a1) == 0 && memstat(&m1) == 0, "counters");
    unsigned long allocs = m1.frames_allocated - m0.frames_allocated;
    unsigned long locks = a1.lock_acquires - a0.lock_acquires;
    printf("%lu allocations (as many frees), %lu global lock acquisitions, %lu served by the cache\n", allocs, locks,
           a1.cache_allocs - a0.cache_allocs);
    CHECK(allocs >= 2048, "the churn allocated %lu frames", allocs);
    /* One refill or drain per batch of 16 would give allocs / 8 for
     * allocations and frees together; a quarter leaves room for the rest
     * of the kernel's own traffic. A single locked list takes the lock
     * for every allocation and every free: 2 * allocs. */
    CHECK(locks * 4 < allocs, "global lock taken %lu times for %lu allocations", locks, allocs);
    CHECK(a1.cache_allocs - a0.cache_allocs >= allocs / 2, "cache served %lu", a1.cache_allocs - a0.cache_allocs);
    CHECK(a1.cached <= 8 * 64, "at most a full cache per hart: %lu", a1.cached);
    CHECK(allocstat((struct allocstat *)0x3000000000L) == -1, "a bad pointer");
}

int main(int argc, char **argv)
{
    const char *want = argc > 1 ? argv[1] : "stress";
    test_begin(want);
    struct allocstat a0, a1;
    struct memstat m0 = memstat_now();
    CHECK(allocstat(&a0) == 0, "allocstat");
    if (strcmp(want, "stress") == 0)
        test_stress();
    else if (strcmp(want, "reach") == 0)
        test_reach();
    if (strcmp(want, "stress") == 0 || strcmp(want, "reach") == 0) {
        /* The allocator these groups stress is the per-hart one: most
         * allocations come from a cache (a single locked list, the lab's
         * stub, serves none). */
        struct memstat m1 = memstat_now();
        CHECK(allocstat(&a1) == 0, "allocstat");
        unsigned long allocs = m1.frames_allocated - m0.frames_allocated, cached = a1.cache_allocs - a0.cache_allocs;
        printf("%s: %lu allocations, %lu served by a per-hart cache\n", want, allocs, cached);
        CHECK(cached * 2 >= allocs, "per-hart caches served %lu of %lu allocations", cached, allocs);
    } else if (strcmp(want, "batching") == 0)
        test_batching();
    else
        CHECK(0, "no group %s", want);
    return test_end();
}
