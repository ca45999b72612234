/* evictbench: page replacement seen from a user program (mm/evict.h).
 * Booted with mm.frames=N (user pages may hold N frames), a swap disk and
 * mm.evict=POLICY, it touches a data area much larger than N with one of
 * three reference strings and counts the page faults the kernel took
 * (memstat page_faults before and after), the pages read back from swap
 * and the guest instructions (under `qemu -icount shift=0`, see bench.h).
 * scripts/bench-evict.sh runs it under every policy and memory size.
 *
 * An access is one store to one page. The patterns (argv after options):
 *
 *   loop    pages 0 .. W-1 in order, R times: larger than memory, every
 *           policy that tracks recency faults on every access
 *   random  R * W pages drawn uniformly from 0 .. W-1 (xorshift, fixed
 *           seed): the fault rate falls as 1 - frames / W
 *   belady  the textbook reference string 1 2 3 4 1 2 5 1 2 3 4 5 over
 *           five blocks of B pages (a reference to block k touches its B
 *           pages in order), R times: under fifo 3 blocks of frames give
 *           9 block faults and 4 blocks give 10 (Belady's anomaly)
 *
 * Each pattern gets a fresh area from sbrklazy (so its first touch of a
 * page is a fault, as in the textbook) and gives it back after, so the
 * next pattern starts with only this program's own pages resident: a few
 * pages of text, the stack, the data (the "own" figure below). Keep the
 * frames a little above a whole number of blocks (3 * B + slack): the
 * own pages take frames too.
 *
 * Output, one line per pattern (integers only):
 *   BENCH evict PATTERN POLICY FRAMES ACCESSES FAULTS SWAP_INS SWAP_OUTS EVICTIONS SCANS NS OWN PAGES
 * FRAMES is mm.frames, PAGES the pattern's distinct pages (W or 5 * B),
 * OWN the frames the program held when the pattern started. Then
 * "evictbench: done".
 *
 * Usage: evictbench [-w W] [-b B] [-r R] [-s SEED] [loop] [random] [belady]
 * (defaults: W = 1.5 * mm.frames, B = mm.frames / 4, R = 2, seed 1). */
#include "bench.h"

static const unsigned char belady_string[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
#define BELADY_BLOCKS 5UL

struct run {
    unsigned long accesses;
    unsigned long pages; /* distinct pages the pattern names */
};

/* The store of one access: every page gets its own value, so a page that
 * came back from swap with another page's bytes would show (checked). */
static inline void touch(volatile char *area, unsigned long page, unsigned long k)
{
    *(volatile unsigned long *)(area + page * BENCH_PAGE) = page * 2654435761UL + k;
}

static unsigned long xorshift(unsigned long *s)
{
    unsigned long x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* The loops run between two memstat calls; they keep everything in
 * registers, so the only pages they touch are the area's and the text. */
static unsigned long run_loop(volatile char *area, unsigned long w, unsigned long rounds)
{
    for (unsigned long r = 0; r < rounds; r++)
        for (unsigned long i = 0; i < w; i++)
            touch(area, i, r);
    return rounds * w;
}

static unsigned long run_random(volatile char *area, unsigned long w, unsigned long rounds, unsigned long seed)
{
    unsigned long s = seed ? seed : 1, n = rounds * w;
    for (unsigned long k = 0; k < n; k++)
        touch(area, xorshift(&s) % w, 0);
    return n;
}

static unsigned long run_belady(volatile char *area, unsigned long b, unsigned long rounds)
{
    unsigned long n = 0;
    for (unsigned long r = 0; r < rounds; r++)
        for (unsigned long k = 0; k < sizeof belady_string; k++) {
            unsigned long first = (belady_string[k] - 1UL) * b;
            for (unsigned long i = 0; i < b; i++, n++)
                touch(area, first + i, 0);
        }
    return n;
}

/* The value touch left last in each page: loop writes its round, the
 * others 0; random may leave a page untouched (zero). The count of pages
 * that hold something else. */
static unsigned long bad_pages(volatile char *area, unsigned long pages, unsigned long k, int may_be_zero)
{
    unsigned long bad = 0;
    for (unsigned long i = 0; i < pages; i++) {
        unsigned long v = *(volatile unsigned long *)(area + i * BENCH_PAGE);
        bad += v != i * 2654435761UL + k && !(may_be_zero && v == 0);
    }
    return bad;
}

struct opts {
    unsigned long w, b, rounds, seed;
    char policy[8];
    unsigned long frames;
};

/* One pattern on a fresh area; prints its line. 0, or -1 on a failure. */
static int measure(const struct opts *o, const char *pattern)
{
    int is_loop = bench_streq(pattern, "loop"), is_random = bench_streq(pattern, "random");
    if (!is_loop && !is_random && !bench_streq(pattern, "belady")) {
        printf("evictbench: unknown pattern %s\n", pattern);
        return -1;
    }
    unsigned long pages = is_loop || is_random ? o->w : BELADY_BLOCKS * o->b;
    char *area = sbrklazy((int)(pages * BENCH_PAGE));
    if (area == SBRK_ERROR) {
        printf("evictbench: sbrklazy of %lu pages failed\n", pages);
        return -1;
    }
    struct memstat m0, m1;
    memset(&m0, 0, sizeof m0);
    memset(&m1, 0, sizeof m1);
    memstat(&m0);
    unsigned long t0 = (unsigned long)uptime_ns(), n;
    if (is_loop)
        n = run_loop(area, pages, o->rounds);
    else if (is_random)
        n = run_random(area, pages, o->rounds, o->seed);
    else
        n = run_belady(area, o->b, o->rounds);
    unsigned long ns = (unsigned long)uptime_ns() - t0;
    memstat(&m1);
    unsigned long bad = bad_pages(area, pages, is_loop ? o->rounds - 1 : 0, is_random);
    printf("BENCH evict %s %s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu\n", pattern, o->policy, o->frames, n,
           m1.page_faults - m0.page_faults, m1.swap_ins - m0.swap_ins, m1.swap_outs - m0.swap_outs,
           m1.evictions - m0.evictions, m1.evict_scans - m0.evict_scans, ns, m0.frames_listed, pages);
    sbrk(-(int)(pages * BENCH_PAGE));
    if (bad) {
        printf("evictbench: %lu pages of %s lost their bytes\n", bad, pattern);
        return -1;
    }
    return 0;
}

static int parse(int argc, char **argv, struct opts *o, int *first)
{
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        unsigned long v = (unsigned long)atoi(argv[i + 1]);
        if (bench_streq(argv[i], "-w"))
            o->w = v;
        else if (bench_streq(argv[i], "-b"))
            o->b = v;
        else if (bench_streq(argv[i], "-r"))
            o->rounds = v;
        else if (bench_streq(argv[i], "-s"))
            o->seed = v;
        else
            return -1;
    }
    *first = i;
    return i < argc && argv[i][0] == '-' ? -1 : 0;
}

int main(int argc, char **argv)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    memstat(&ms);
    struct opts o = {0, 0, 2, 1, {0}, ms.frames_cap};
    memcpy(o.policy, ms.evict_policy, sizeof o.policy);
    o.policy[sizeof o.policy - 1] = 0;
    int first;
    if (parse(argc, argv, &o, &first) < 0) {
        printf("usage: evictbench [-w pages] [-b pages] [-r rounds] [-s seed] [loop] [random] [belady]\n");
        return 2;
    }
    if (!ms.evict_active || !ms.frames_cap) {
        printf("evictbench: boot with mm.frames=N and a swap disk (eviction is %s)\n",
               ms.evict_active ? "on, but no mm.frames" : "off");
        return 2;
    }
    if (!o.w)
        o.w = ms.frames_cap * 3 / 2;
    if (!o.b)
        o.b = ms.frames_cap / 4;
    if (!o.w || !o.b || !o.rounds) {
        printf("evictbench: -w, -b and -r must be positive\n");
        return 2;
    }
    printf("evictbench: policy %s, %lu frames, loop/random over %lu pages, belady blocks of %lu pages, %lu rounds\n",
           o.policy, o.frames, o.w, o.b, o.rounds);
    static char *const all[] = {"loop", "random", "belady"};
    char *const *names = first < argc ? argv + first : all;
    int count = first < argc ? argc - first : 3;
    for (int k = 0; k < count; k++)
        if (measure(&o, names[k]) < 0) {
            printf("evictbench: FAILED\n");
            return 1;
        }
    printf("evictbench: done\n");
    return 0;
}
