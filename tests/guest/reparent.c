/* Reparenting under pressure, the classic stress pattern: 800 times, a
 * worker forks a child that forks twice (and so does its first child) and
 * everybody exits at once; the worker waits for its child. Three of every
 * four processes are orphans, given to init: this program, pid 1, which
 * does nothing but reap them with wait until the worker is done. fork must
 * never fail for want of a slot however the harts are scheduled, even when
 * init gets no time to reap while the worker makes orphans. */
#include "testlib.h"

#define ROUNDS 800

/* Runs in the child and, after each fork, in every new process too: each
 * exits with 1 if a fork it made failed. */
static int fork_twice(long unused)
{
    (void)unused;
    int bad = 0;
    if (fork() < 0)
        bad = 1;
    if (fork() < 0)
        bad = 1;
    return bad;
}

/* Exits with the number of rounds that went wrong. */
static int worker(long rounds)
{
    int failed_forks = 0, bad_children = 0;
    for (long r = 0; r < rounds; r++) {
        int pid = spawn(fork_twice, 0);
        if (pid < 0) {
            failed_forks++;
            continue;
        }
        /* Only our own children come back to us: the orphans go to init. */
        int st = wait_status(pid);
        bad_children += st != 0;
    }
    if (failed_forks || bad_children)
        printf("worker: %d forks failed, %d children had a fork fail\n", failed_forks, bad_children);
    return failed_forks + bad_children > 255 ? 255 : failed_forks + bad_children;
}

int main(void)
{
    test_begin("reparent");
    int pid = spawn(worker, ROUNDS);
    CHECK(pid > 0, "fork of the worker");
    long orphans = 0;
    int bad_orphans = 0, worker_status = -1000;
    /* Reap whatever comes: orphans until the worker is done, then the
     * orphans it left behind. */
    for (;;) {
        int st;
        int w = wait(&st);
        if (w < 0)
            break;
        if (w == pid) {
            worker_status = st;
            continue;
        }
        orphans++;
        bad_orphans += st != 0;
    }
    printf("reparent: %d rounds, %ld orphans reaped by init\n", ROUNDS, orphans);
    CHECK(worker_status == 0, "worker: %d rounds went wrong", worker_status);
    CHECK(bad_orphans == 0, "%d orphans had a fork fail", bad_orphans);
    CHECK(orphans == 3L * ROUNDS, "%ld orphans, expected %d", orphans, 3 * ROUNDS);
    return test_end();
}
