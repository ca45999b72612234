#include "testlib.h"

int test_failures;
static const char *test_name;
static unsigned long baseline;

unsigned long free_frames(void)
{
    struct memstat ms;
    if (memstat(&ms) < 0)
        return 0;
    return ms.frames_free;
}

void test_begin(const char *name)
{
    test_name = name;
    struct memstat ms;
    memstat(&ms);
    baseline = ms.frames_free;
    printf("test %s: start (fork policy %s, %lu of %lu frames free)\n", name, ms.fork_policy, ms.frames_free,
           ms.frames_total);
}

int spawn(int (*fn)(long), long arg)
{
    int pid = fork();
    if (pid == 0)
        exit(fn(arg));
    return pid;
}

/* Statuses of children reaped while waiting for another one. */
#define REAPED_MAX 64
static struct {
    int pid, status;
} reaped[REAPED_MAX];
static int nreaped;

int wait_status(int pid)
{
    for (int i = 0; i < nreaped; i++)
        if (reaped[i].pid == pid) {
            int st = reaped[i].status;
            reaped[i] = reaped[--nreaped];
            return st;
        }
    for (;;) {
        int status;
        int w = wait(&status);
        if (w < 0)
            return -1000;
        if (w == pid)
            return status;
        if (nreaped < REAPED_MAX) {
            reaped[nreaped].pid = w;
            reaped[nreaped].status = status;
            nreaped++;
        }
    }
}

int test_end(void)
{
    while (wait(0) >= 0) /* reap anything left behind */
        ;
    nreaped = 0;
    int problems = mmaudit();
    CHECK(problems == 0, "mm audit found %d problem(s)", problems);
    unsigned long now = free_frames();
    CHECK(now == baseline, "free frames %lu, baseline %lu (%ld leaked)", now, baseline, (long)(baseline - now));
    if (test_failures)
        printf("test %s: FAILED (%d failure(s))\n", test_name, test_failures);
    else
        printf("test %s: passed\n", test_name);
    return test_failures ? 1 : 0;
}
