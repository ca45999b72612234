/* init: the first process. Opens the console as fds 0, 1 and 2, then runs
 * the program named after "--" on the kernel command line, or else keeps a
 * shell running. Reaps orphans while it waits. */
#include "user.h"

static char *shell_argv[] = {"/bin/sh", 0};

static int run(char **argv)
{
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "init: fork failed\n");
        return -1;
    }
    if (pid == 0) {
        exec(argv[0], argv);
        fprintf(2, "init: cannot exec %s\n", argv[0]);
        exit(127);
    }
    for (;;) {
        int status;
        int w = wait(&status);
        if (w == pid)
            return status;
        if (w < 0)
            return -1;
    }
}

int main(int argc, char **argv)
{
    struct stat st;
    if (fstat(0, &st) < 0) { /* the kernel normally opens them for us */
        if (open("/dev/console", O_RDWR) < 0) {
            mknod("/dev/console", 1, 0);
            open("/dev/console", O_RDWR);
        }
        dup(0);
        dup(0);
    }
    if (argc > 1)
        return run(argv + 1); /* the kernel powers off with this status */
    for (;;) {
        printf("init: starting sh\n");
        if (run(shell_argv) < 0)
            pause(100);
    }
}
