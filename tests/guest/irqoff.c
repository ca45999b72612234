/* Forking a large process lets interrupts in, and the clock keeps time.
 * Run under mm.fork=copy with -icount shift=0 on one hart, where virtual
 * time is instructions: a 48 MiB parent (grown 1 MiB at a time) forks
 * three times. Every fork used to copy with the parent's spin lock held,
 * interrupts off for about two timer periods, and the timer was re-armed
 * from the late interrupt: uptime() fell behind by a tick or so a fork.
 * Now uptime's ticks match the elapsed time to within one tick, and the
 * debug kernel's longest interrupts-off stretch (printed at power-off,
 * checked by tests.cmake) is a fraction of a period. */
#include "testlib.h"

#define MIB 48
#define NS_PER_TICK 10000000L /* TIMER_HZ 100 */

int main(void)
{
    test_begin("irqoff");
    for (int i = 0; i < MIB; i++) {
        char *p = sbrk(1 << 20);
        if (p == (char *)-1) {
            CHECK(0, "sbrk: %d MiB", i);
            return test_end();
        }
        for (long off = 0; off < (1 << 20); off += 4096)
            p[off] = (char)i;
    }
    long t0 = uptime(), ns0 = uptime_ns();
    for (int k = 0; k < 3; k++) {
        int pid = fork();
        if (pid == 0)
            exit(0);
        CHECK(pid > 0 && wait_status(pid) == 0, "fork %d of a %d MiB process", k, MIB);
    }
    long t1 = uptime(), ns1 = uptime_ns();
    long elapsed = (ns1 - ns0) / NS_PER_TICK, ticks = t1 - t0;
    printf("irqoff: %ld ticks counted over %ld ns (%ld periods)\n", ticks, ns1 - ns0, elapsed);
    CHECK(ticks >= elapsed - 1 && ticks <= elapsed + 1, "uptime kept time: %ld ticks over %ld periods", ticks, elapsed);
    sbrk(-(MIB << 20));
    return test_end();
}
