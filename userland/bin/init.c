/* init: the first process. Opens the console as fds 0, 1 and 2, then runs
 * the program named after "--" on the kernel command line, or else keeps a
 * shell running and powers the machine off when asked (the poweroff
 * command). Reaps orphans while it waits. */
#include "user.h"

static char *shell_argv[] = {"/bin/sh", 0};

/* Starts argv[0] with argv; its pid, or -1. */
static int start(char **argv)
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
    return pid;
}

static int run(char **argv)
{
    int pid = start(argv);
    if (pid < 0)
        return -1;
    for (;;) {
        int status;
        int w = wait(&status);
        if (w == pid)
            return status;
        if (w < 0)
            return -1;
    }
}

#define POWEROFF_ASKED 42 /* the listener's exit status when asked */

/* The control pipe: a child of init blocks reading it and exits with
 * POWEROFF_ASKED once a byte arrives; its write end stays open as
 * INIT_CTL_FD for the shell and everything it starts. Only init may power
 * off, and init itself waits in wait(), so a child does the listening. The
 * listener's pid, or -1 (then poweroff cannot ask). */
static int start_listener(void)
{
    int ctl[2];
    if (pipe(ctl) < 0)
        return -1;
    if (ctl[1] != INIT_CTL_FD) { /* fds 0-2 open, so the pipe gets 3 and 4 */
        close(ctl[0]);
        close(ctl[1]);
        return -1;
    }
    int pid = fork();
    if (pid == 0) {
        char c;
        close(ctl[1]);
        exit(read(ctl[0], &c, 1) == 1 ? POWEROFF_ASKED : 0);
    }
    close(ctl[0]);
    return pid;
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
    int listener = start_listener();
    for (;;) {
        printf("init: starting sh\n");
        int shell = start(shell_argv);
        if (shell < 0) {
            pause(100);
            continue;
        }
        for (;;) {
            int status, w = wait(&status);
            if (w == listener && status == POWEROFF_ASKED) {
                printf("init: powering off\n");
                poweroff(0);
            }
            if (w == shell || w < 0)
                break;
        }
    }
}
