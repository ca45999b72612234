/* A hostile workload: a fork bomb that fills the process table, then has
 * every member grab all the memory it can. fork and sbrk must fail
 * cleanly, nobody but the bomb may be hurt, and everything comes back. */
#include "testlib.h"

/* The read end of the "go" pipe. Every member holds the write end while it
 * forks and closes it when done, so reading returns end-of-file exactly
 * when no member can fork any more: the table is full before anyone takes
 * memory, however the members were scheduled, and no fork can fail for
 * want of a frame. */
static int go_read, go_write;

/* Forks until fork fails (the process table is full) or the tree is deep
 * enough, waits for all members to get there, grabs all the memory it
 * can, then waits for its children and exits. */
static int bomb(long depth)
{
    int kids = 0;
    for (int i = 0; i < 8 && depth < 6; i++) {
        int pid = fork();
        if (pid == 0)
            exit(bomb(depth + 1));
        if (pid < 0)
            break;
        kids++;
    }
    /* wait(&st) below copies the status into this stack page. The page is
     * shared copy-on-write with any child that has not yet written its own
     * stack (it may not have run at all), and once memory is gone the
     * copy fails and wait returns -1: legitimate, but not what this test
     * is about. Break the sharing now, while frames are plentiful. */
    int st;
    *(volatile int *)&st = 0;
    close(go_write);
    char c;
    read(go_read, &c, 1);
    close(go_read);
    char *p;
    while ((p = sbrk(256 * 1024)) != (char *)-1)
        p[0] = 1;
    int bad = 0;
    for (int i = 0; i < kids; i++) {
        /* a child's status is 0, or -1 if it was killed for want of a
         * frame (a COW fault on a stack page it had not written yet) */
        if (wait(&st) < 0 || (st != 0 && st != -1))
            bad++;
    }
    return bad ? 1 : 0;
}

int main(void)
{
    test_begin("hostile");
    static char keep[8192];
    memset(keep, 'k', sizeof keep);
    int go[2];
    CHECK(pipe(go) == 0, "pipe");
    go_read = go[0];
    go_write = go[1];
    int pid = spawn(bomb, 0);
    CHECK(pid > 0, "fork of the bomb");
    close(go[0]);
    close(go[1]);
    int st = wait_status(pid);
    CHECK(st == 0 || st == -1, "bomb exit status %d", st);
    /* Members whose parent died first were given to us (pid 1): reap them
     * too, so that the process table is empty again below. */
    while (wait(0) >= 0)
        ;
    struct memstat ms;
    memstat(&ms);
    printf("the bomb forked %lu times\n", ms.forks);
    CHECK(ms.forks >= 60, "only %lu forks: the process table never filled", ms.forks);
    for (unsigned i = 0; i < sizeof keep; i++)
        if (keep[i] != 'k') {
            CHECK(0, "our memory changed at %u", i);
            break;
        }
    /* the system still works: a fork and a pipe */
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe after the bomb");
    pid = fork();
    if (pid == 0) {
        write(fds[1], "ok", 2);
        exit(0);
    }
    CHECK(pid > 0, "fork after the bomb");
    /* Without our own write end, a child that dies without writing (or was
     * never born) gives end-of-file instead of a read that never returns. */
    close(fds[1]);
    char buf[2] = {0, 0};
    CHECK(read(fds[0], buf, 2) == 2 && buf[0] == 'o', "pipe data");
    close(fds[0]);
    if (pid > 0)
        CHECK(wait_status(pid) == 0, "child after the bomb");
    return test_end();
}
