/* Time: ticks counted on hart 0, and pause (sleep) on them. */
#include "clock.h"
#include "proc.h"
#include "spinlock.h"
#include "trap.h"
#include "platform.h"
#include "../arch/riscv/csr.h"

static struct spinlock ticks_lock = {0, "ticks", 0};
static uint64_t ticks;

void clock_tick(void)
{
    spin_lock(&ticks_lock);
    ticks++;
    wakeup(&ticks);
    spin_unlock(&ticks_lock);
    proc_tick();
}

uint64_t clock_ticks(void)
{
    spin_lock(&ticks_lock);
    uint64_t t = ticks;
    spin_unlock(&ticks_lock);
    return t;
}

int clock_pause(uint64_t n)
{
    struct proc *p = myproc();
    spin_lock(&ticks_lock);
    uint64_t start = ticks;
    while (ticks - start < n) {
        if (proc_killed(p)) {
            spin_unlock(&ticks_lock);
            return -1;
        }
        sleep_on(&ticks, &ticks_lock);
    }
    spin_unlock(&ticks_lock);
    return 0;
}

uint64_t clock_ticks_to_ns(uint64_t t)
{
    uint64_t hz = platform.timebase_hz ? platform.timebase_hz : 10000000;
    return t / hz * 1000000000UL + t % hz * 1000000000UL / hz;
}

uint64_t clock_ns(void) { return clock_ticks_to_ns(rdtime()); }
