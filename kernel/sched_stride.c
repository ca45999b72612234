/* Stride scheduling (Waldspurger and Weihl, 1995): run the RUNNABLE
 * process with the smallest pass; charge it one stride when it comes
 * back. The arithmetic is in stride.c.
 *
 * vtime, the scheduler's virtual time, is the pass of the last process
 * picked. A process that was not runnable (asleep, or just forked) joins
 * at vtime rather than at its old pass: otherwise a process that slept
 * for a minute would, on waking, have a minute of credit and shut every
 * other process out until it had used it up. With several harts a
 * process that was running while others were picked may also be moved up
 * to vtime; it loses a fraction of a quantum, which is the price of not
 * keeping a per-hart queue. */
#include "sched.h"
#include "proc.h"
#include "stride.h"

static uint64_t vtime; /* atomic: only ever grows */

static struct proc *stride_pick(struct cpu *c)
{
    (void)c;
    /* LAB sched BEGIN: find the runnable process with the smallest pass, lock it, join it at vtime */
    for (;;) {
        uint64_t now = __atomic_load_n(&vtime, __ATOMIC_RELAXED);
        struct proc *best = 0;
        struct stride best_s = {0, 0};
        /* A scan without locks: a process may change state or pass under
         * us, so the choice is checked again under its lock. A process
         * whose lock is held is skipped: most likely another hart is
         * taking it right now, and every hart queueing on the lock of the
         * one process with the smallest pass would waste their time. */
        for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
            if (__atomic_load_n(&p->state, __ATOMIC_RELAXED) != PROC_RUNNABLE ||
                __atomic_load_n(&p->lock.locked, __ATOMIC_RELAXED))
                continue;
            struct stride s = {__atomic_load_n(&p->stride.pass, __ATOMIC_RELAXED), 1};
            stride_join(&s, now);
            if (!best || stride_before(&s, &best_s)) {
                best = p;
                best_s = s;
            }
        }
        if (!best)
            return 0;
        if (!spin_trylock(&best->lock))
            continue; /* taken meanwhile: look again */
        if (best->state == PROC_RUNNABLE) {
            stride_join(&best->stride, now);
            /* vtime only grows: another hart may have moved it further. */
            uint64_t v = now;
            while (v < best->stride.pass &&
                   !__atomic_compare_exchange_n(&vtime, &v, best->stride.pass, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                ;
            return best;
        }
        spin_unlock(&best->lock); /* another hart took it: look again */
    }
    /* LAB sched STUB
    (void)vtime;
    return sched_rr.pick(c);
       LAB sched END */
}

static void stride_ran(struct cpu *c, struct proc *p)
{
    (void)c;
    stride_charge(&p->stride);
}

const struct sched_policy sched_stride = {"stride", stride_pick, stride_ran, 0};
