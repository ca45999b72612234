/* Lab thread: user-level threads (userland/bin/uthread).
 *
 *   sequence  /bin/uthread prints exactly the classic lab's lines, in the
 *             classic order: the three "started" lines, then thread_c,
 *             thread_a and thread_b take turns 100 times, exit in that
 *             order, and the scheduler finds nothing left to run
 *   regs      /bin/uthread regs: three threads keep their own values in
 *             s0-s11 and fs0-fs11 across yields and timer interrupts and
 *             lose none of them (uthread_switch saves every callee-saved
 *             register, floating point included, and the kernel brings
 *             all of them back after a trap) */
#include "testlib.h"

static char out[16384];
static char want[16384];

static void sequence(void)
{
    char *argv[] = {"/bin/uthread", 0};
    CHECK(run_capture(argv, 0, 0, out, sizeof out) == 0, "uthread: status");
    int n = 0;
    const char *names[] = {"thread_a", "thread_b", "thread_c"};
    for (int i = 0; i < 3; i++)
        n += snprintf(want + n, sizeof want - n, "%s started\n", names[i]);
    for (int k = 0; k < 100; k++)
        for (int i = 0; i < 3; i++)
            n += snprintf(want + n, sizeof want - n, "%s %d\n", names[(i + 2) % 3], k);
    for (int i = 0; i < 3; i++)
        n += snprintf(want + n, sizeof want - n, "%s: exit after 100\n", names[(i + 2) % 3]);
    snprintf(want + n, sizeof want - n, "thread_schedule: no runnable threads\n");
    int same = strcmp(out, want) == 0, at = 0;
    while (out[at] && out[at] == want[at])
        at++;
    CHECK(same, "the output differs from the classic lab's at byte %d: '%.60s', wanted '%.60s'", at, out + at,
          want + at);
}

static void regs(void)
{
    char *argv[] = {"/bin/uthread", "regs", 0};
    CHECK(run_capture(argv, 0, 0, out, sizeof out) == 0, "uthread regs: status");
    CHECK(str_contains(out, "uthread regs: 0 registers lost\n") && str_contains(out, "no runnable threads"),
          "uthread regs: '%s'", out);
}

int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : "";
    test_begin(group);
    if (strcmp(group, "sequence") == 0)
        sequence();
    else if (strcmp(group, "regs") == 0)
        regs();
    else
        CHECK(0, "no group named '%s'", group);
    return test_end();
}
