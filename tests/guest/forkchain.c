/* forkchain: each process forks one child and waits for it, until fork
 * fails; then the chain unwinds. Run under "trace 2" by the syscall lab's
 * shell test, it prints what the classic grader's "trace children" case
 * (trace 2 usertests forkforkfork) looks for: "3: syscall fork -> 4",
 * lines from pids 5 and 6, and a fork that returns -1. Exits 0 when the
 * chain ended with a failed fork and every child exited 0. */
#include "user.h"

int main(void)
{
    for (;;) {
        int pid = fork();
        if (pid < 0)
            exit(0); /* the end of the chain */
        if (pid > 0) {
            int status = -1;
            if (wait(&status) != pid)
                exit(1);
            exit(status);
        }
        /* the child goes round again */
    }
}
