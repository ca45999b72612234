/* The kernel writing into a COW page (copyout) must break COW exactly as a
 * user store does: a pipe read in the child into a buffer shared with the
 * parent leaves the parent's copy untouched. Covers a partial page and a
 * whole page (the latter skips copying the old contents). */
#include "testlib.h"

static char buf[3 * 4096] __attribute__((aligned(4096)));

static void check_transfer(int offset, int len)
{
    memset(buf, 'p', sizeof buf);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    int pid = fork();
    if (pid == 0) {
        close(fds[1]);
        int got = 0;
        while (got < len) {
            int n = read(fds[0], buf + offset + got, len - got);
            if (n <= 0)
                exit(2);
            got += n;
        }
        for (int i = 0; i < len; i++)
            if (buf[offset + i] != 'c')
                exit(3);
        /* bytes around the read keep the shared contents */
        if (offset > 0 && buf[offset - 1] != 'p')
            exit(4);
        exit(0);
    }
    close(fds[0]);
    static char src[3 * 4096];
    memset(src, 'c', sizeof src);
    CHECK(write(fds[1], src, len) == len, "write");
    close(fds[1]);
    CHECK(wait_status(pid) == 0, "child read (offset %d, len %d)", offset, len);
    for (unsigned i = 0; i < sizeof buf; i++)
        if (buf[i] != 'p') {
            CHECK(0, "parent byte %u is %c after the child's read (offset %d, len %d)", i, buf[i], offset, len);
            break;
        }
}

int main(void)
{
    test_begin("cow_copyout");
    check_fork_shares();
    check_transfer(100, 50);     /* inside one page */
    check_transfer(4000, 300);   /* across a page boundary */
    check_transfer(4096, 4096);  /* exactly one whole page */
    check_transfer(0, 3 * 4096); /* three whole pages */
    struct memstat ms;
    memstat(&ms);
    if (ms.fork_promises & FORK_SHARES_ALL)
        CHECK(ms.cow_faults > 0, "no COW fault was counted");
    return test_end();
}
