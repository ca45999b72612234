/* After fork the parent's writable translations must be gone from its
 * hart's TLB: the parent stores, forks, and stores again at once, without
 * any sleep or system call that could flush on the way. If the stale
 * writable entry survived, the second store would land in the frame the
 * child shares and the child would see it. */
#include "testlib.h"

static volatile int shared_words[1024] __attribute__((aligned(4096)));

int main(void)
{
    test_begin("tlb_fork");
    check_fork_shares();
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    for (int round = 0; round < 50; round++) {
        shared_words[0] = 1; /* a writable translation in this hart's TLB */
        int pid = fork();
        if (pid == 0) {
            char c;
            read(fds[0], &c, 1);
            exit(shared_words[0] == 1 ? 0 : 1);
        }
        if (pid < 0) {
            CHECK(0, "round %d: fork failed", round);
            break;
        }
        shared_words[0] = 2; /* must fault (cow) and copy, not hit the shared frame */
        write(fds[1], "g", 1);
        CHECK(wait_status(pid) == 0, "round %d: the child saw the parent's store after fork", round);
        CHECK(shared_words[0] == 2, "round %d: the parent lost its store", round);
    }
    close(fds[0]);
    close(fds[1]);
    return test_end();
}
