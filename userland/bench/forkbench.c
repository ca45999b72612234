/* forkbench: what a fork costs as the parent grows.
 *
 * The parent grows its heap to each size in turn (default 0, 1, 4, 16 and
 * 64 MiB, a store to every page) and times two loops:
 *
 *   fork + exit + wait   the child exits at once
 *   fork + exec + wait   the child execs this program with "-exit", which
 *                        returns at once
 *
 * A timing covers everything the hart runs meanwhile: the fork itself, the
 * child's exit and the freeing of its address space, the parent's wait,
 * the COW faults the parent takes on its own stack, the scheduler and the
 * timer interrupts. One untimed iteration comes first, so that every timed
 * one starts from the same state (under cow: the parent's pages already
 * marked COW, refcount 1).
 *
 * usage: forkbench [-n BUDGET] [MiB...]
 *   Each size runs max(4, BUDGET / (MiB + 2)) iterations of each loop
 *   (default BUDGET 800: 400 for an empty parent, 12 for 64 MiB).
 *
 * Output (see bench.h), one line per size:
 *   BENCH fork POLICY MIB RESIDENT ITERS EXIT_NS EXEC_NS
 * EXIT_NS and EXEC_NS are totals over ITERS iterations. When a fork fails
 * (out of memory) ITERS is 0 and both totals -1. Under cow also
 *   BENCH resident POLICY MIB LAYOUT MEASURED
 * compares the resident count worked out from the layout with the number
 * of frames the kernel reports shared right after a fork. Then
 *   BENCH touch POLICY MIB RESIDENT ITERS ONE_NS ALL_ITERS ALL_NS
 * times two more loops, where the child writes to the heap before it
 * exits: one byte in every 2 MiB of it (ONE_NS, ITERS iterations: the
 * first write through each level-0 table) and one byte in every page
 * (ALL_NS, ALL_ITERS iterations). Where the touch loop made the kernel
 * copy shared page tables (odf), also
 *   BENCH tablecopy POLICY MIB TABLES NS
 * the tables copied during it and the time spent copying them (memstat's
 * table_copy_ns: instructions under -icount shift=0). */
#include "bench.h"

#define SELF "/bench/forkbench"
#define MAX_SIZES 16

/* Waits for the child pid a fork returned: 0 if it exited with status 0,
 * -1 if the fork failed or the child did not. */
static int wait_ok(int pid)
{
    if (pid < 0)
        return -1;
    int status = -1;
    return wait(&status) == pid && status == 0 ? 0 : -1;
}

/* One fork + wait; the child exits at once, or execs a program that does.
 * Returns 0, or -1 if the fork (or the child) failed. */
static int fork_once(int exec_child)
{
    int pid = fork();
    if (pid == 0) {
        if (exec_child) {
            char *argv[] = {"forkbench", "-exit", 0};
            exec(SELF, argv);
            exit(127);
        }
        exit(0);
    }
    return wait_ok(pid);
}

static char *heap_base;          /* the heap as main found it */
static unsigned long heap_pages; /* pages grown since */

/* fork + wait; the child writes one byte every `stride` heap pages first. */
static int fork_touch(unsigned long stride)
{
    int pid = fork();
    if (pid == 0) {
        for (unsigned long i = 0; i < heap_pages; i += stride)
            heap_base[i * BENCH_PAGE] = 1;
        exit(0);
    }
    return wait_ok(pid);
}

static int fork_touch_tables(void) { return fork_touch(512); }
static int fork_touch_pages(void) { return fork_touch(1); }

static int fork_exit_once(void) { return fork_once(0); }
static int fork_exec_once(void) { return fork_once(1); }

/* Total time of `iters` calls of op, or -1 if one failed. */
static long time_loop(int (*op)(void), int iters)
{
    long t0 = uptime_ns();
    for (int i = 0; i < iters; i++)
        if (op() < 0)
            return -1;
    return uptime_ns() - t0;
}

/* Under cow, right after a fork every page the parent maps is shared with
 * the child, except those a COW fault has copied since (each copy unshares
 * exactly one frame; a reuse happens only on a frame already unshared).
 * So shared + copied-since-fork is the parent's resident count. */
static long resident_by_sharing(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    struct memstat before, after;
    memstat(&before);
    int pid = fork();
    if (pid == 0) {
        char c;
        close(fds[1]);
        read(fds[0], &c, 1);
        exit(0);
    }
    long r = -1;
    if (pid > 0) {
        memstat(&after);
        r = (long)(after.pages_shared + (after.pages_copied - before.pages_copied));
    }
    close(fds[0]);
    write(fds[1], "x", 1);
    close(fds[1]);
    if (pid > 0) {
        int status;
        wait(&status);
    }
    return r;
}

static void measure(const char *policy, unsigned long mib, long budget)
{
    unsigned long resident = bench_resident_pages();
    if (bench_streq(policy, "cow"))
        printf("BENCH resident %s %lu %lu %ld\n", policy, mib, resident, resident_by_sharing());
    int iters = (int)(budget / (long)(mib + 2));
    if (iters < 4)
        iters = 4;
    long exit_ns = -1, exec_ns = -1;
    if (fork_exit_once() == 0)
        exit_ns = time_loop(fork_exit_once, iters);
    if (exit_ns >= 0 && fork_exec_once() == 0)
        exec_ns = time_loop(fork_exec_once, iters);
    if (exit_ns < 0 || exec_ns < 0)
        printf("BENCH fork %s %lu %lu 0 -1 -1\n", policy, mib, resident);
    else
        printf("BENCH fork %s %lu %lu %d %ld %ld\n", policy, mib, resident, iters, exit_ns, exec_ns);
    int all_iters = 4;
    long one_ns = -1, all_ns = -1;
    struct memstat before, after;
    memstat(&before);
    if (fork_touch_tables() == 0)
        one_ns = time_loop(fork_touch_tables, iters);
    memstat(&after);
    /* The shared tables the touch loop copied (odf), and the time spent
     * copying them: under -icount shift=0, instructions. */
    if (after.tables_copied > before.tables_copied)
        printf("BENCH tablecopy %s %lu %lu %lu\n", policy, mib, after.tables_copied - before.tables_copied,
               after.table_copy_ns - before.table_copy_ns);
    if (one_ns >= 0 && fork_touch_pages() == 0)
        all_ns = time_loop(fork_touch_pages, all_iters);
    printf("BENCH touch %s %lu %lu %d %ld %d %ld\n", policy, mib, resident, iters, one_ns, all_iters, all_ns);
}

int main(int argc, char **argv)
{
    if (argc > 1 && bench_streq(argv[1], "-exit"))
        return 0;
    long budget = 800;
    unsigned long sizes[MAX_SIZES] = {0, 1, 4, 16, 64};
    int nsizes = 5, given = 0;
    for (int i = 1; i < argc; i++) {
        if (bench_streq(argv[i], "-n") && i + 1 < argc) {
            budget = atoi(argv[++i]);
        } else if (argv[i][0] >= '0' && argv[i][0] <= '9' && given < MAX_SIZES) {
            sizes[given++] = (unsigned long)atoi(argv[i]);
        } else {
            fprintf(2, "usage: forkbench [-n BUDGET] [MiB...]\n");
            return 1;
        }
    }
    if (given)
        nsizes = given;

    char policy[8];
    bench_policy(policy, sizeof policy);
    printf("forkbench: policy %s, %d sizes, budget %ld\n", policy, nsizes, budget);
    unsigned long have = 0; /* pages grown so far */
    heap_base = sbrk(0);
    for (int i = 0; i < nsizes; i++) {
        unsigned long want = sizes[i] * 256;
        if (want > have && !bench_grow(want - have)) {
            printf("forkbench: cannot grow to %lu MiB\n", sizes[i]);
            printf("BENCH fork %s %lu 0 0 -1 -1\n", policy, sizes[i]);
            continue;
        }
        if (want < have)
            sbrk(-(int)((have - want) * BENCH_PAGE));
        have = want;
        heap_pages = have;
        measure(policy, sizes[i], budget);
    }
    return 0;
}
