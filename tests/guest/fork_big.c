/* A parent holding more than half of RAM forks. A policy that shares every
 * page (cow) must manage it; one that copies every page (copy) cannot, and
 * fork must fail cleanly with -1, leaving the parent intact: that is the
 * expected result. A policy that decides page by page may do either, but
 * a child it makes sees the parent's data, and nothing leaks. */
#include "testlib.h"

int main(void)
{
    test_begin("fork_big");
    check_fork_shares();
    struct memstat ms;
    memstat(&ms);
    int shares = (ms.fork_promises & FORK_SHARES_ALL) != 0, copies = (ms.fork_promises & FORK_COPIES_ALL) != 0;
    unsigned long pages = ms.frames_total * 55 / 100; /* > half of RAM */
    char *mem = sbrk((int)(pages * 4096));
    CHECK(mem != (char *)-1, "sbrk of %lu pages", pages);
    if (mem == (char *)-1)
        return test_end();
    for (unsigned long i = 0; i < pages; i++)
        mem[i * 4096] = (char)i;
    unsigned long before = free_frames();

    int pid = fork();
    if (pid == 0) {
        /* read everything, write a little */
        for (unsigned long i = 0; i < pages; i++)
            if (mem[i * 4096] != (char)i)
                exit(2);
        for (unsigned long i = 0; i < 16; i++)
            mem[i * 4096] = 'c';
        exit(0);
    }
    if (shares)
        CHECK(pid > 0, "a sharing fork of a %lu-page parent failed", pages);
    if (copies)
        CHECK(pid < 0, "a copying fork of a %lu-page parent succeeded with %lu frames free", pages, before);
    if (pid > 0)
        CHECK(wait_status(pid) == 0, "child saw wrong data");
    CHECK(free_frames() == before, "free frames %lu after the fork, %lu before", free_frames(), before);
    for (unsigned long i = 0; i < pages; i++)
        if (mem[i * 4096] != (char)i) {
            CHECK(0, "parent page %lu changed", i);
            break;
        }
    sbrk(-(int)(pages * 4096));
    return test_end();
}
