/* fork waits for init to reap orphans only while init is reaping. Here
 * init (this program, pid 1) blocks reading a pipe from a worker that
 * fills the process table with orphans: their zombies are init's to reap,
 * but init is not in wait. The worker's fork must then fail with -1, as it
 * always did, rather than wait for a reap that cannot come (a deadlock:
 * init waits for the worker's message, the worker for init). */
#include "testlib.h"

/* Forks a child that forks a grandchild and exits at once: the grandchild
 * becomes init's orphan and exits too. Returns 0, or -1 if a fork failed. */
static int make_orphan(void)
{
    int pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int g = fork();
        exit(g < 0 ? 1 : 0);
    }
    int st = wait_status(pid);
    return st == 0 ? 0 : -1;
}

static int worker(long fd)
{
    int made = 0;
    while (made < 200 && make_orphan() == 0)
        made++;
    /* 200 orphans would need more than 64 slots unless init reaped */
    char verdict = made < 200 ? 'y' : 'n';
    write((int)fd, &verdict, 1);
    printf("worker: %d orphans made before fork failed\n", made);
    return 0;
}

int main(void)
{
    test_begin("orphan_block");
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    int pid = spawn(worker, fds[1]);
    CHECK(pid > 0, "fork of the worker");
    close(fds[1]);
    char verdict = 0;
    /* Blocked here, not in wait, while the worker fills the table. */
    CHECK(read(fds[0], &verdict, 1) == 1, "no word from the worker");
    CHECK(verdict == 'y', "the worker's forks never failed: orphans were reaped while init was blocked");
    close(fds[0]);
    CHECK(wait_status(pid) == 0, "worker status");
    return test_end();
}
