/* Out of memory during a COW fault kills the writer, not the kernel: the
 * child writes to more shared pages than there are free frames. The
 * parent's data stays intact and every frame comes back. */
#include "testlib.h"

int main(void)
{
    test_begin("cow_oom");
    check_fork_shares();
    struct memstat ms;
    memstat(&ms);
    unsigned long pages = ms.frames_free * 60 / 100;
    char *mem = sbrk((int)(pages * 4096));
    CHECK(mem != (char *)-1, "sbrk");
    if (mem == (char *)-1)
        return test_end();
    for (unsigned long i = 0; i < pages; i++)
        mem[i * 4096] = (char)(i * 3);
    unsigned long before = free_frames();
    unsigned long kills_before = ms.oom_kills;

    int pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        for (unsigned long i = 0; i < pages; i++)
            mem[i * 4096] = 'x'; /* runs out of frames part-way */
        exit(0);                 /* must not get here */
    }
    int st = wait_status(pid);
    CHECK(st == -1, "writer exit status %d, expected -1 (killed)", st);
    memstat(&ms);
    CHECK(ms.oom_kills == kills_before + 1, "oom kills %lu, before %lu", ms.oom_kills, kills_before);
    for (unsigned long i = 0; i < pages; i++)
        if (mem[i * 4096] != (char)(i * 3)) {
            CHECK(0, "parent page %lu damaged", i);
            break;
        }
    CHECK(free_frames() == before, "free %lu, before the fork %lu", free_frames(), before);

    /* The parent can still write its pages (they are COW with refcount 1). */
    for (unsigned long i = 0; i < pages; i++)
        mem[i * 4096] = 'p';
    CHECK(free_frames() == before, "reuse path allocated frames");
    sbrk(-(int)(pages * 4096));
    return test_end();
}
