/* superbench: what superpages (mm/superpage.h) save, in guest
 * instructions under `qemu -icount shift=0` on one hart (see bench.h).
 * scripts/bench-super.sh runs it under each fork policy with
 * mm.superpages=on and off; every line that matters starts with
 * "BENCH super".
 *
 *   sbrk     sbrk of SIZE MiB (2 MiB aligned) then a store to every page:
 *            with superpages, one leaf and one zeroed run per 2 MiB
 *            instead of 512 PTEs and a level-0 table
 *   touch    a second pass of stores over the SIZE MiB: the TLB's reach
 *            (one entry per 2 MiB instead of per 4 KiB)
 *   fork     fork of the SIZE MiB parent, the child exits at once, wait
 *   write    fork, then the child stores to one page in every 2 MiB and
 *            exits, wait: the COW faults (and, with superpages, splits)
 *
 * Each line: BENCH super WHAT FORKPOLICY SUPER COUNT NS EXTRA, where
 * SUPER is memstat's superpages (1 on), COUNT the pages (or forks) and
 * EXTRA the superpages made (sbrk) or split (write) meanwhile.
 *
 * Usage: superbench [-m MiB] (default 64). */
#include "bench.h"

static unsigned long now(void) { return (unsigned long)uptime_ns(); }

static struct memstat ms_now(void)
{
    struct memstat m;
    memset(&m, 0, sizeof m);
    memstat(&m);
    return m;
}

static void report(const char *what, const char *policy, unsigned long super, unsigned long n, unsigned long ns,
                   unsigned long extra)
{
    printf("BENCH super %s %s %lu %lu %lu %lu\n", what, policy, super, n, ns, extra);
}

int main(int argc, char **argv)
{
    unsigned long mib = 64;
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], "-m") == 0)
            mib = (unsigned long)atoi(argv[i + 1]);
    char policy[8];
    bench_policy(policy, sizeof policy);
    struct memstat m0 = ms_now();
    unsigned long super = m0.superpages;

    /* Align the break so that every 2 MiB of the heap may be a superpage. */
    unsigned long brk = (unsigned long)sbrk(0), block = 2UL << 20;
    unsigned long pad = ((brk + block - 1) & ~(block - 1)) - brk;
    if (pad && sbrk((int)pad) == SBRK_ERROR) {
        printf("superbench: sbrk of the padding failed\n");
        exit(1);
    }
    unsigned long pages = (mib << 20) / BENCH_PAGE;
    unsigned long t0 = now();
    char *p = sbrk((int)(mib << 20));
    if (p == SBRK_ERROR) {
        printf("superbench: sbrk of %lu MiB failed\n", mib);
        exit(1);
    }
    for (unsigned long i = 0; i < pages; i++)
        p[i * BENCH_PAGE] = 1;
    unsigned long t1 = now();
    struct memstat m1 = ms_now();
    report("sbrk", policy, super, pages, t1 - t0, m1.superpages_made - m0.superpages_made);

    t0 = now();
    for (unsigned long i = 0; i < pages; i++)
        p[i * BENCH_PAGE + 8] = 2;
    report("touch", policy, super, pages, now() - t0, 0);

    enum { FORKS = 4 };
    t0 = now();
    for (int k = 0; k < FORKS; k++) {
        int pid = fork();
        if (pid == 0)
            exit(0);
        if (pid < 0 || wait(0) != pid) {
            printf("superbench: fork failed\n");
            exit(1);
        }
    }
    report("fork", policy, super, FORKS, now() - t0, 0);

    m0 = ms_now();
    t0 = now();
    for (int k = 0; k < FORKS; k++) {
        int pid = fork();
        if (pid == 0) {
            for (unsigned long i = 0; i < pages; i += 512)
                p[i * BENCH_PAGE + 16] = 3;
            exit(0);
        }
        if (pid < 0 || wait(0) != pid) {
            printf("superbench: fork failed\n");
            exit(1);
        }
    }
    m1 = ms_now();
    report("write", policy, super, FORKS, now() - t0, m1.superpage_splits - m0.superpage_splits);
    printf("superbench: done\n");
    return 0;
}
