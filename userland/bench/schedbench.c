/* schedbench [-s SETS] [-m MS]: how the harts are shared among processes
 * of unequal tickets (labs/sched).
 *
 * SETS sets of three CPU-bound children, with 1, 2 and 3 tickets, are
 * released together and count units of work (1,000 loop iterations each)
 * until MS milliseconds of guest time have passed. A child's share is
 * its count over the total; under stride scheduling the ideal is its
 * tickets over the tickets of all (1/6, 2/6, 3/6), under round robin it
 * is equal shares whatever the tickets. Run it with more children than
 * harts (one set on -smp 1, four sets on -smp 4), else every child has a
 * hart to itself and there is nothing to share.
 *
 * Output, one line per child and one summary (shares in parts per
 * million, deviation = the largest |share - ticket share| in ppm):
 *   BENCH sched SCHED SETS CHILD TICKETS WORK SHARE_PPM IDEAL_PPM
 *   BENCH schedsum SCHED SETS CHILDREN TOTAL_WORK MAX_DEV_PPM */
#include "bench.h"

#define MAXCH 24

/* The value of "sched=" on the kernel command line, or "rr". */
static void sched_name(char *out, int n)
{
    char line[256];
    strcpy(out, "rr");
    if (cmdline(line, sizeof line) < 0)
        return;
    for (char *p = line; *p; p++)
        if ((p == line || p[-1] == ' ') && strncmp(p, "sched=", 6) == 0) {
            int i = 0;
            for (p += 6; *p && *p != ' ' && i < n - 1; p++)
                out[i++] = *p;
            out[i] = 0;
        }
}

static void child(int tickets, int go, int res, int idx)
{
    settickets(tickets);
    long end;
    if (read(go, &end, sizeof end) != sizeof end)
        exit(1);
    long work = 0;
    volatile unsigned long x = 0;
    while (uptime_ns() < end) {
        for (int i = 0; i < 1000; i++)
            x += (unsigned long)i;
        work++;
    }
    long msg[2] = {idx, work};
    write(res, msg, sizeof msg);
    exit(0);
}

int main(int argc, char **argv)
{
    int sets = 1;
    long ms = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-s") == 0)
            sets = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-m") == 0)
            ms = atoi(argv[i + 1]);
    }
    if (sets < 1 || sets * 3 > MAXCH || ms < 1) {
        fprintf(2, "usage: schedbench [-s SETS (1..8)] [-m MS]\n");
        exit(1);
    }
    char sched[16];
    sched_name(sched, sizeof sched);
    int go[2], res[2];
    if (pipe(go) < 0 || pipe(res) < 0)
        exit(1);
    int n = sets * 3, tickets[MAXCH];
    settickets(100); /* the parent outranks its children while it waits */
    for (int i = 0; i < n; i++) {
        tickets[i] = 1 + i % 3;
        if (fork() == 0) {
            close(go[1]);
            close(res[0]);
            child(tickets[i], go[0], res[1], i);
        }
    }
    close(go[0]);
    close(res[1]);
    long end = uptime_ns() + ms * 1000000L;
    for (int i = 0; i < n; i++)
        write(go[1], &end, sizeof end);
    long work[MAXCH] = {0}, total = 0;
    long msg[2];
    while (read(res[0], msg, sizeof msg) == sizeof msg)
        if (msg[0] >= 0 && msg[0] < n)
            work[msg[0]] = msg[1];
    for (int i = 0; i < n; i++) {
        wait(0);
        total += work[i];
    }
    long tsum = 0, maxdev = 0;
    for (int i = 0; i < n; i++)
        tsum += tickets[i];
    for (int i = 0; i < n; i++) {
        long share = total ? work[i] * 1000000L / total : 0;
        long ideal = tickets[i] * 1000000L / tsum;
        long dev = share > ideal ? share - ideal : ideal - share;
        if (dev > maxdev)
            maxdev = dev;
        printf("BENCH sched %s %d %d %d %ld %ld %ld\n", sched, sets, i, tickets[i], work[i], share, ideal);
    }
    printf("BENCH schedsum %s %d %d %ld %ld\n", sched, sets, n, total, maxdev);
    return 0;
}
