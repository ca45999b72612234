/* allocbench [-w WORKERS] [-r ROUNDS] [-p PAGES]: contention on the frame
 * allocator (labs/locks).
 *
 * WORKERS processes (one per hart on -smp 4) each grow their heap by
 * PAGES pages, write every page, and shrink it back, ROUNDS times: every
 * page is one allocation and one free. allocstat() before and after gives
 * how often the global free-list lock was taken, how often it was found
 * held by another hart, and how many failed attempts the waits took.
 *
 * Output:
 *   BENCH alloc WORKERS ROUNDS PAGES ALLOCS LOCK_ACQUIRES CONTENDED SPINS CACHE_ALLOCS NS */
#include "bench.h"

static void worker(int rounds, int pages)
{
    for (int r = 0; r < rounds; r++) {
        char *p = sbrk(pages * (int)BENCH_PAGE);
        if (p == (char *)-1)
            exit(1);
        for (int i = 0; i < pages; i++)
            p[(long)i * BENCH_PAGE] = (char)r;
        sbrk(-pages * (int)BENCH_PAGE);
    }
    exit(0);
}

int main(int argc, char **argv)
{
    int workers = 4, rounds = 200, pages = 64;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-w") == 0)
            workers = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-r") == 0)
            rounds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-p") == 0)
            pages = atoi(argv[i + 1]);
    }
    if (workers < 1 || workers > 64 || rounds < 1 || pages < 1) {
        fprintf(2, "usage: allocbench [-w WORKERS] [-r ROUNDS] [-p PAGES]\n");
        exit(1);
    }
    struct allocstat a0, a1;
    struct memstat m0, m1;
    allocstat(&a0);
    memstat(&m0);
    long t0 = uptime_ns();
    for (int i = 0; i < workers; i++)
        if (fork() == 0)
            worker(rounds, pages);
    int bad = 0, st;
    for (int i = 0; i < workers; i++)
        if (wait(&st) < 0 || st != 0)
            bad++;
    long t1 = uptime_ns();
    allocstat(&a1);
    memstat(&m1);
    printf("BENCH alloc %d %d %d %lu %lu %lu %lu %lu %ld\n", workers, rounds, pages,
           m1.frames_allocated - m0.frames_allocated, a1.lock_acquires - a0.lock_acquires,
           a1.lock_contended - a0.lock_contended, a1.lock_spins - a0.lock_spins, a1.cache_allocs - a0.cache_allocs,
           t1 - t0);
    return bad != 0;
}
