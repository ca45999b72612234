/* Processes: exit status, kill, orphans reparented to init, timer
 * preemption across harts, pause/uptime, and the stack guard page. */
#include "testlib.h"

static int exit_with(long v) { return (int)v; }

static int sleeper(long ticks)
{
    pause((int)ticks);
    return 0;
}

static int spinner(long loops)
{
    volatile long x = 0;
    for (long i = 0; i < loops; i++)
        x += i;
    return hartid() & 0xff;
}

/* Forks a grandchild that outlives us; its parent becomes init (us, pid 1). */
static int make_orphan(long unused)
{
    (void)unused;
    int pid = fork();
    if (pid == 0) {
        pause(5);
        exit(77);
    }
    return pid; /* exit status = the orphan's pid */
}

/* Recurses until the stack runs out (the limit is only there to keep the
 * compiler from treating it as a bug). */
static int recurse(long depth)
{
    volatile char frame[1024];
    frame[0] = (char)depth;
    if (depth > 1000000)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static int overflow_stack(long unused)
{
    (void)unused;
    return recurse(0);
}

int main(void)
{
    test_begin("proc_basics");
    CHECK(wait_status(spawn(exit_with, 0)) == 0, "exit 0");
    CHECK(wait_status(spawn(exit_with, 3)) == 3, "exit 3");
    CHECK(wait_status(spawn(exit_with, -5)) == -5, "exit -5");

    /* kill a sleeping child: it dies with -1. Its pause would last about
     * four months, so only the kill can end it (if it does not, the test
     * hangs and ctest's timeout reports that); no bound on how long the
     * kill took, which would depend on how busy the host is. */
    int pid = spawn(sleeper, 1000000000);
    pause(2);
    CHECK(kill(pid) == 0, "kill");
    CHECK(wait_status(pid) == -1, "killed child status");
    CHECK(kill(pid) < 0, "kill of a reaped pid succeeded");
    CHECK(kill(99999) < 0, "kill of a bad pid succeeded");
    CHECK(kill(getpid()) < 0, "init (this test, pid 1) could be killed");

    /* orphans are reparented to init and reaped by it */
    pid = spawn(make_orphan, 0);
    int orphan = wait_status(pid);
    CHECK(orphan > 1, "orphan pid %d", orphan);
    CHECK(wait_status(orphan) == 77, "init did not get the orphan's status");

    /* wait with no children */
    int st;
    CHECK(wait(&st) == -1, "wait without children");

    /* pause advances uptime */
    int t0 = uptime();
    pause(10);
    CHECK(uptime() - t0 >= 10, "pause(10) lasted %d ticks", uptime() - t0);

    /* eight CPU-bound children share four harts: preemption lets them all finish */
    int pids[8];
    unsigned long harts = 0;
    for (int i = 0; i < 8; i++)
        pids[i] = spawn(spinner, 3000000);
    for (int i = 0; i < 8; i++) {
        int h = wait_status(pids[i]);
        CHECK(h >= 0 && h < 64, "spinner status %d", h);
        if (h >= 0 && h < 64)
            harts |= 1UL << h;
    }
    int n = 0;
    for (int h = 0; h < 64; h++)
        n += (harts >> h) & 1;
    CHECK(n >= 2, "spinners ran on %d hart(s)", n);

    /* running off the bottom of the stack hits the guard page */
    CHECK(wait_status(spawn(overflow_stack, 0)) == -1, "stack overflow not killed");
    return test_end();
}
