/* settickets() (labs/sched): the default, the range check, inheritance at
 * fork and across exec, and that processes of very different tickets all
 * get to run and finish, whichever scheduler the kernel was booted with
 * (ctest runs it under sched=rr and sched=stride). Nothing here measures
 * shares of time: that is the benchmark's job (bench/schedbench), since a
 * test verdict must not depend on timing. */
#include "testlib.h"

static int report_tickets(long unused)
{
    (void)unused;
    return settickets(1); /* exit status: the count inherited */
}

static int grandparent(long unused)
{
    (void)unused;
    /* Inheritance goes on down the generations. */
    if (settickets(33) < 0)
        return 100;
    int pid = spawn(report_tickets, 0);
    return wait_status(pid);
}

/* A CPU-bound child: some fixed work, then its tickets as a check that
 * nobody changed them. */
static int burn(long tickets)
{
    if (settickets((int)tickets) < 0)
        return 100;
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 3000000; i++)
        x += i;
    return settickets((int)tickets) == tickets ? 0 : 101;
}

/* Sleeps, then works: one that slept must get a hart back. */
static int sleeper(long unused)
{
    (void)unused;
    pause(2);
    return burn(1);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-report") == 0)
        return settickets(1);
    test_begin("sched_tickets");

    CHECK(settickets(100) == 100, "the default is 100 tickets");
    CHECK(settickets(0) == -1, "0 tickets");
    CHECK(settickets(-5) == -1, "negative tickets");
    CHECK(settickets(1001) == -1, "more than 1000");
    CHECK(settickets(1) == 100, "failed calls changed nothing");
    CHECK(settickets(1000) == 1, "1 is allowed");
    CHECK(settickets(7) == 1000, "1000 is allowed");

    /* fork: the child starts with the parent's count. */
    int pid = spawn(report_tickets, 0);
    CHECK(wait_status(pid) == 7, "child inherits 7 tickets");
    CHECK(settickets(7) == 7, "the child's change did not touch the parent");
    pid = spawn(grandparent, 0);
    CHECK(wait_status(pid) == 33, "grandchild inherits its parent's 33");

    /* exec keeps them: they belong to the process, not the program. */
    CHECK(settickets(12) == 7, "set 12");
    pid = fork();
    if (pid == 0) {
        char *args[] = {"sched_tickets", "exec-report", 0};
        exec("/tests/sched_tickets", args);
        exit(99);
    }
    CHECK(wait_status(pid) == 12, "exec keeps 12 tickets");

    /* Very uneven tickets, more processes than harts, and a sleeper:
     * everyone finishes. */
    static const long tickets[] = {1, 1000, 1, 500, 2, 1000, 3, 1000, 1, 250};
    int pids[12], n = 0;
    for (unsigned i = 0; i < sizeof tickets / sizeof tickets[0]; i++)
        pids[n++] = spawn(burn, tickets[i]);
    pids[n++] = spawn(sleeper, 0);
    for (int i = 0; i < n; i++)
        CHECK(wait_status(pids[i]) == 0, "worker %d finished with its tickets", i);

    CHECK(settickets(100) == 12, "set back");
    return test_end();
}
