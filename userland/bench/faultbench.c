/* faultbench: what one store costs when it takes a copy-on-write fault.
 *
 * One byte is stored to each of PAGES heap pages, in a timed loop, in
 * three states of those pages:
 *
 *   copy    COW, and the frame is shared with a live child (refcount 2):
 *           the fault allocates a frame, copies 4 KiB and maps it writable
 *   reuse   COW, but the child has exited (refcount 1): the fault only
 *           gives write permission back
 *   write   private and writable: no fault at all (the reference)
 *
 * The cost of a fault is (copy or reuse loop - write loop) / PAGES: the
 * store, the trap, the handler, the return to user mode and the store
 * again. Which process stores matters: it is always the parent, and the
 * child of the copy round is blocked in read() before the parent starts
 * the clock, so that nothing else runs inside the timed loop.
 *
 * usage: faultbench [-p PAGES] [-r ROUNDS]   (default 512 pages, 8 rounds)
 *
 * Output (see bench.h), one line per kind:
 *   BENCH fault POLICY KIND PAGES ROUNDS TOTAL_NS FAULTS
 * TOTAL_NS is summed over ROUNDS loops of PAGES stores; FAULTS is what the
 * kernel counted meanwhile (copy: pages copied, reuse: pages reused,
 * write: COW faults), so a reader can see each loop took the path it is
 * named for: under cow FAULTS is PAGES * ROUNDS, 0 and 0; under copy all
 * three are 0. And first
 *   BENCH calib POLICY INSNS NS
 * the time a user loop of exactly INSNS instructions took (two clock reads
 * subtracted): under -icount shift=0 NS equals INSNS, which checks the
 * claim that one nanosecond is one instruction. */
#include "bench.h"

struct kind {
    long ns;
    unsigned long faults;
};

/* Stores one byte to each page and returns the time it took. Not inlined,
 * so that its stack frame is the same in the warm-up call as in the
 * timed one. */
__attribute__((noinline)) static long store_pass(volatile char *mem, int pages, char v)
{
    long t0 = uptime_ns();
    for (int i = 0; i < pages; i++)
        mem[(unsigned long)i * BENCH_PAGE] = v;
    return uptime_ns() - t0;
}

/* Two instructions per turn, n turns. */
__attribute__((noinline)) static long spin(long n)
{
    long t0 = uptime_ns();
    __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b" : "+r"(n));
    return uptime_ns() - t0;
}

/* Which counter tells that a loop took its path. */
enum counter { PAGES_COPIED, PAGES_REUSED, COW_FAULTS };

static unsigned long counter(const struct memstat *m, enum counter c)
{
    return c == PAGES_COPIED ? m->pages_copied : c == PAGES_REUSED ? m->pages_reused : m->cow_faults;
}

/* The timed loop, after an empty pass whose only job is to give this
 * process private copies of the stack pages the timed pass will use (they
 * are COW after a fork too). memstat is outside the clock: it scans every
 * frame. */
static void timed(struct kind *k, volatile char *mem, int pages, char v, enum counter c)
{
    struct memstat a, b;
    store_pass(mem, 0, v);
    memstat(&a);
    k->ns += store_pass(mem, pages, v);
    memstat(&b);
    k->faults += counter(&b, c) - counter(&a, c);
}

/* Copy path: a child that keeps every frame shared until told to go. */
static int round_copy(struct kind *k, volatile char *mem, int pages, char v)
{
    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0)
        return -1;
    int pid = fork();
    if (pid == 0) {
        char c;
        close(ready[0]);
        close(go[1]);
        write(ready[1], "r", 1);
        read(go[0], &c, 1);
        exit(0);
    }
    close(ready[1]);
    close(go[0]);
    char c;
    int ok = pid > 0 && read(ready[0], &c, 1) == 1;
    if (ok)
        timed(k, mem, pages, v, PAGES_COPIED);
    write(go[1], "g", 1);
    close(ready[0]);
    close(go[1]);
    if (pid > 0) {
        int status;
        wait(&status);
    }
    return ok ? 0 : -1;
}

/* Reuse path: fork marks the pages COW, the child exits, the parent is
 * left as the only owner of every frame. */
static int round_reuse(struct kind *k, volatile char *mem, int pages, char v)
{
    int pid = fork();
    if (pid == 0)
        exit(0);
    if (pid < 0)
        return -1;
    int status;
    wait(&status);
    timed(k, mem, pages, v, PAGES_REUSED);
    return 0;
}

static void report(const char *policy, const char *name, int pages, int rounds, const struct kind *k)
{
    printf("BENCH fault %s %s %d %d %ld %lu\n", policy, name, pages, rounds, k->ns, k->faults);
}

int main(int argc, char **argv)
{
    int pages = 512, rounds = 8;
    for (int i = 1; i < argc; i++) {
        if (bench_streq(argv[i], "-p") && i + 1 < argc) {
            pages = atoi(argv[++i]);
        } else if (bench_streq(argv[i], "-r") && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else {
            fprintf(2, "usage: faultbench [-p PAGES] [-r ROUNDS]\n");
            return 1;
        }
    }
    char policy[8];
    bench_policy(policy, sizeof policy);
    printf("faultbench: policy %s, %d pages, %d rounds\n", policy, pages, rounds);
    long turns = 5000000;
    printf("BENCH calib %s %ld %ld\n", policy, 2 * turns, spin(turns) - spin(1));
    volatile char *mem = bench_grow((unsigned long)pages);
    if (!mem) {
        printf("faultbench: cannot grow the heap by %d pages\n", pages);
        return 1;
    }
    struct kind copy = {0, 0}, reuse = {0, 0}, write_ = {0, 0};
    for (int r = 0; r < rounds; r++) {
        char v = (char)(r + 1);
        if (round_copy(&copy, mem, pages, v) < 0 || round_reuse(&reuse, mem, pages, v) < 0) {
            printf("faultbench: fork failed\n");
            return 1;
        }
        timed(&write_, mem, pages, v, COW_FAULTS);
    }
    report(policy, "copy", pages, rounds, &copy);
    report(policy, "reuse", pages, rounds, &reuse);
    report(policy, "write", pages, rounds, &write_);
    return 0;
}
