/* ps: lists the processes, one a line, with the columns Ctrl-P shows:
 * pid, parent pid, state, the hart it runs on ("-" unless running), user
 * pages mapped, and name. */
#include "user.h"
#include "kernel/param.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(2, "usage: ps\n");
        exit(1);
    }
    static struct procinfo procs[NPROC];
    int n = procinfo(procs, NPROC);
    if (n < 0) {
        fprintf(2, "ps: the procinfo system call failed\n");
        exit(1);
    }
    printf("  PID  PPID    STATE HART PAGES NAME\n");
    for (int i = 0; i < n; i++) {
        struct procinfo *p = &procs[i];
        p->state[sizeof p->state - 1] = 0;
        p->name[sizeof p->name - 1] = 0;
        printf("%5d %5d %8s ", p->pid, p->ppid, p->state);
        if (p->hart < 0)
            printf("   -");
        else
            printf("%4d", p->hart);
        printf(" %5lu %s\n", p->pages, p->name);
    }
    exit(0);
}
