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

int wait_status(int pid)
{
    int status;
    for (;;) {
        int w = wait(&status);
        if (w < 0)
            return -1000;
        if (w == pid)
            return status;
    }
}

int test_end(void)
{
    while (wait(0) >= 0) /* reap anything left behind */
        ;
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
