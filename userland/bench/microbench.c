/* microbench: the paths every other figure is built on (issue 21).
 *
 *   getpid     one system call that does nothing: a raw ecall (number in
 *              a7, no libc stub), so the figure is the trap in, the
 *              dispatch and the trap out
 *   pipe_rt    one byte to a child through one pipe and back through
 *              another: two writes, two reads, two sleeps, two wakeups and
 *              two context switches per round trip
 *   fork_exec  fork, the child execs /bench/nop (returns at once), wait
 *   sbrk       sbrk(4096), one store to the new page, sbrk(-4096)
 *   yield_rt   two processes calling sched_yield in turn on one hart: per
 *              round trip, two system calls and two context switches
 *
 * Run on one hart (`ninja bench` boots -smp 1): on several, the pipe
 * child and the yield partner would run beside the parent, not in turn.
 * Each loop runs once untimed first, so every timed iteration starts from
 * the same state.
 *
 * usage: microbench [-n ITERS] [OP...]   (default 10000; getpid runs
 *        10 x ITERS, fork_exec ITERS / 20; the OPs named, or all)
 *
 * Output (see bench.h), one line per operation:
 *   BENCH micro POLICY OP ITERS TOTAL_NS
 * TOTAL_NS covers ITERS iterations, the loop and two clock reads
 * included; under -icount shift=0 it is guest instructions. */
#include "bench.h"
#include "rvos/syscall.h"

#define NOP "/bench/nop"

/* getpid with the ecall written out: what a system call costs, without
 * the call into a libc stub. */
static inline long raw_getpid(void)
{
    register long a0 __asm__("a0");
    register long a7 __asm__("a7") = SYS_getpid;
    __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

static long time_getpid(int iters)
{
    long pid = raw_getpid();
    long t0 = uptime_ns();
    for (int i = 0; i < iters; i++)
        if (raw_getpid() != pid)
            return -1;
    return uptime_ns() - t0;
}

/* The child echoes every byte from `in` to `out` until `in` reaches its
 * end. */
static void echo_child(int in, int out)
{
    char c;
    while (read(in, &c, 1) == 1)
        if (write(out, &c, 1) != 1)
            exit(1);
    exit(0);
}

static int round_trip(int to, int from)
{
    char c = 'x';
    return write(to, &c, 1) == 1 && read(from, &c, 1) == 1 && c == 'x' ? 0 : -1;
}

static long time_pipe(int iters)
{
    int down[2], up[2];
    if (pipe(down) < 0 || pipe(up) < 0)
        return -1;
    int pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        echo_child(down[0], up[1]);
    }
    close(down[0]);
    close(up[1]);
    long ns = -1;
    if (round_trip(down[1], up[0]) == 0) {
        long t0 = uptime_ns();
        int i = 0;
        while (i < iters && round_trip(down[1], up[0]) == 0)
            i++;
        if (i == iters)
            ns = uptime_ns() - t0;
    }
    close(down[1]);
    close(up[0]);
    int status = -1;
    if (wait(&status) != pid || status != 0)
        return -1;
    return ns;
}

static int fork_exec_once(void)
{
    int pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *argv[] = {"nop", 0};
        exec(NOP, argv);
        exit(1);
    }
    int status = -1;
    return wait(&status) == pid && status == 0 ? 0 : -1;
}

static long time_fork_exec(int iters)
{
    if (fork_exec_once() < 0)
        return -1;
    long t0 = uptime_ns();
    for (int i = 0; i < iters; i++)
        if (fork_exec_once() < 0)
            return -1;
    return uptime_ns() - t0;
}

static int sbrk_once(void)
{
    volatile char *p = sbrk(4096);
    if (p == (char *)-1)
        return -1;
    *p = 1;
    return sbrk(-4096) == (char *)-1 ? -1 : 0;
}

static long time_sbrk(int iters)
{
    if (sbrk_once() < 0)
        return -1;
    long t0 = uptime_ns();
    for (int i = 0; i < iters; i++)
        if (sbrk_once() < 0)
            return -1;
    return uptime_ns() - t0;
}

/* The partner tells the parent it is running (one byte through a pipe),
 * then yields a few more times than the parent will, so that it is still
 * yielding when the parent's timed loop ends; the parent's wait lets it
 * finish. */
static long time_yield(int iters)
{
    int ready[2];
    if (pipe(ready) < 0)
        return -1;
    int pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(ready[0]);
        if (write(ready[1], "r", 1) != 1)
            exit(1);
        for (int i = 0; i < iters + 16; i++)
            sched_yield();
        exit(0);
    }
    close(ready[1]);
    char c;
    long ns = -1;
    if (read(ready[0], &c, 1) == 1) {
        sched_yield();
        long t0 = uptime_ns();
        for (int i = 0; i < iters; i++)
            sched_yield();
        ns = uptime_ns() - t0;
    }
    close(ready[0]);
    int status = -1;
    if (wait(&status) != pid || status != 0)
        return -1;
    return ns;
}

static int failures;

static void report(const char *policy, const char *op, int iters, long ns)
{
    if (ns < 0) {
        printf("microbench: %s failed\n", op);
        failures++;
    }
    printf("BENCH micro %s %s %d %ld\n", policy, op, ns < 0 ? 0 : iters, ns);
}

static const struct op {
    const char *name;
    long (*time)(int iters);
    int scale; /* iterations: ITERS * scale / 20 */
} ops[] = {
    {"getpid", time_getpid, 200}, {"pipe_rt", time_pipe, 20},   {"fork_exec", time_fork_exec, 1},
    {"sbrk", time_sbrk, 20},      {"yield_rt", time_yield, 20},
};
#define NOPS (int)(sizeof ops / sizeof ops[0])

int main(int argc, char **argv)
{
    int iters = 10000, chosen[NOPS] = {0}, any = 0;
    for (int i = 1; i < argc; i++) {
        int k = 0;
        while (k < NOPS && !bench_streq(argv[i], ops[k].name))
            k++;
        if (k < NOPS) {
            chosen[k] = any = 1;
        } else if (bench_streq(argv[i], "-n") && i + 1 < argc && atoi(argv[i + 1]) > 0) {
            iters = atoi(argv[++i]);
        } else {
            fprintf(2, "usage: microbench [-n ITERS] [getpid|pipe_rt|fork_exec|sbrk|yield_rt...]\n");
            return 1;
        }
    }
    char policy[8];
    bench_policy(policy, sizeof policy);
    printf("microbench: policy %s, %d iterations\n", policy, iters);
    for (int k = 0; k < NOPS; k++) {
        if (any && !chosen[k])
            continue;
        int n = (int)((long)iters * ops[k].scale / 20);
        report(policy, ops[k].name, n > 0 ? n : 1, ops[k].time(n > 0 ? n : 1));
    }
    return failures ? 1 : 0;
}
