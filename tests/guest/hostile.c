/* A hostile workload: a fork bomb that fills the process table while its
 * members grab all the memory they can. fork and sbrk must fail cleanly,
 * nobody but the bomb may be hurt, and everything comes back. */
#include "testlib.h"

/* Forks until fork fails (the process table fills up), then every member
 * grabs all the memory it can, then they wait for each other and exit. */
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
    char *p;
    while ((p = sbrk(256 * 1024)) != (char *)-1)
        p[0] = 1;
    int bad = 0;
    for (int i = 0; i < kids; i++) {
        int st;
        /* 0, or -1: a member may be killed for want of a frame when a COW
         * fault on its stack comes after the others took all memory */
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
    int pid = spawn(bomb, 0);
    int st = wait_status(pid);
    CHECK(st == 0 || st == -1, "bomb exit status %d", st);
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
    char buf[2];
    CHECK(read(fds[0], buf, 2) == 2 && buf[0] == 'o', "pipe data");
    CHECK(wait_status(pid) == 0, "fork after the bomb");
    close(fds[0]);
    close(fds[1]);
    return test_end();
}
