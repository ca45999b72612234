/* Floating-point registers belong to each process: values survive being
 * preempted while other processes (on the same harts) compute with
 * different values, and a fork child starts with its parent's. */
#include "testlib.h"

static int compute(long seed)
{
    volatile double acc = (double)seed;
    double step = 0.5 + (double)seed;
    for (int i = 0; i < 2000000; i++) {
        acc = acc + step;
        acc = acc - step; /* stays equal to seed unless registers are clobbered */
    }
    return acc == (double)seed ? 0 : 1;
}

int main(void)
{
    test_begin("fp_state");
    volatile double inherited = 3.25;
    int pids[8];
    for (int i = 0; i < 8; i++)
        pids[i] = spawn(compute, i * 7 + 1);
    for (int i = 0; i < 8; i++)
        CHECK(wait_status(pids[i]) == 0, "process %d saw its floating-point values change", i);
    int pid = fork();
    if (pid == 0)
        exit(inherited * 2 == 6.5 ? 0 : 1);
    CHECK(wait_status(pid) == 0, "fork child lost the parent's floating-point value");
    return test_end();
}
