/* The last owner of a COW page reuses it: after the child exits, the
 * parent's stores restore write permission without copying. While the
 * child lives, stores copy. */
#include "testlib.h"

#define PAGES 32

int main(void)
{
    test_begin("cow_reuse");
    check_fork_shares();
    char *mem = sbrk(PAGES * 4096);
    memset(mem, 1, PAGES * 4096);
    struct memstat a, b;

    int pid = fork();
    if (pid == 0)
        exit(0);
    CHECK(wait_status(pid) == 0, "child");
    /* The snapshots live on the stack, itself shared copy-on-write: take a
     * throwaway one first so the stack page is private before we count. */
    memstat(&b);
    memstat(&a);
    for (int i = 0; i < PAGES; i++)
        mem[i * 4096] = 2;
    memstat(&b);
    if (a.fork_promises & FORK_SHARES_ALL) {
        CHECK(b.pages_reused - a.pages_reused == PAGES, "reused %lu, expected %d", b.pages_reused - a.pages_reused,
              PAGES);
        CHECK(b.pages_copied == a.pages_copied, "copied %lu pages", b.pages_copied - a.pages_copied);
    } else if (a.fork_promises & FORK_COPIES_ALL) {
        CHECK(b.cow_faults == a.cow_faults, "COW faults although every page was copied");
    }

    /* Now with a live sharer: each store copies. */
    int fds[2];
    pipe(fds);
    pid = fork();
    if (pid == 0) {
        char c;
        close(fds[1]);
        read(fds[0], &c, 1);
        exit(mem[0] == 2 ? 0 : 1);
    }
    close(fds[0]);
    memstat(&b);
    memstat(&a);
    for (int i = 0; i < PAGES; i++)
        mem[i * 4096] = 3;
    memstat(&b);
    if (a.fork_promises & FORK_SHARES_ALL) {
        CHECK(b.pages_copied - a.pages_copied == PAGES, "copied %lu, expected %d", b.pages_copied - a.pages_copied,
              PAGES);
        CHECK(b.pages_shared >= 1, "pages_shared %lu", b.pages_shared);
    }
    write(fds[1], "x", 1);
    close(fds[1]);
    CHECK(wait_status(pid) == 0, "child saw the parent's later store");
    sbrk(-(PAGES * 4096));
    return test_end();
}
