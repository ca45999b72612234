/* A parent holding more than half of RAM forks. Under cow that works (the
 * child shares every frame); under copy it cannot, and fork must fail
 * cleanly with -1, leaving the parent intact: that is the expected result. */
#include "testlib.h"

int main(void)
{
    test_begin("fork_big");
    struct memstat ms;
    memstat(&ms);
    int cow = strcmp(ms.fork_policy, "cow") == 0;
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
    if (cow) {
        CHECK(pid > 0, "cow fork of a %lu-page parent failed", pages);
        CHECK(wait_status(pid) == 0, "child saw wrong data");
    } else {
        CHECK(pid < 0, "copy fork of a %lu-page parent succeeded with %lu frames free", pages, before);
        if (pid > 0)
            wait_status(pid);
    }
    CHECK(free_frames() == before, "free frames %lu after the fork, %lu before", free_frames(), before);
    for (unsigned long i = 0; i < pages; i++)
        if (mem[i * 4096] != (char)i) {
            CHECK(0, "parent page %lu changed", i);
            break;
        }
    sbrk(-(int)(pages * 4096));
    return test_end();
}
