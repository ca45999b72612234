/* A helper for the console tests (not a test itself): a program that
 * runs until something stops it.
 *
 *   spin              says "spin: running" on stderr, then computes for
 *                     ever without a system call: only Ctrl-C (or kill)
 *                     ends it, through the timer interrupt.
 *   spin -until FILE  waits until FILE exists, then writes "survived" to
 *                     FILE.done and exits 0: a background job that must
 *                     outlive a Ctrl-C. It polls with sched_yield, not
 *                     pause: the traps lab's pause prints a backtrace
 *                     each time, which would flood the console the
 *                     session reads. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-until") == 0) {
        struct stat st;
        while (stat(argv[2], &st) < 0)
            sched_yield();
        char done[64];
        snprintf(done, sizeof done, "%s.done", argv[2]);
        int fd = open(done, O_WRONLY | O_CREATE | O_TRUNC);
        if (fd < 0 || write(fd, "survived\n", 9) != 9)
            exit(1);
        close(fd);
        exit(0);
    }
    if (argc != 1) {
        fprintf(2, "usage: spin [-until FILE]\n");
        exit(2);
    }
    fprintf(2, "spin: running\n");
    volatile unsigned long n = 0;
    for (;;)
        n++;
}
