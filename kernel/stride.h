/* Stride scheduling, the arithmetic alone (no processes, no locks), so
 * that the host unit tests (tests/host/test_stride.c) can run it.
 *
 * Every process holds tickets. Its stride is STRIDE_ONE / tickets: the
 * amount its pass grows each time it is given a quantum. The scheduler
 * always runs the runnable process with the smallest pass, so over time a
 * process runs in proportion to its tickets: one with 3 tickets advances
 * its pass three times slower than one with 1 ticket, and so is picked
 * three times as often. */
#ifndef RVOS_KERNEL_STRIDE_H
#define RVOS_KERNEL_STRIDE_H
#include <stdint.h>

/* lcm(1..16): the stride is exact for every ticket count up to 16, so
 * small ratios such as 1:2:3 come out exact. */
#define STRIDE_ONE 720720UL
#define TICKETS_MIN 1
#define TICKETS_MAX 1000
#define TICKETS_DEFAULT 100

struct stride {
    uint64_t pass;    /* virtual time this process has used up */
    uint32_t tickets; /* TICKETS_MIN..TICKETS_MAX */
};

/* Whether n is an acceptable ticket count. */
int stride_tickets_valid(long n);
/* The amount pass grows by per quantum for this many tickets. */
uint64_t stride_step(uint32_t tickets);
/* Accounts one quantum: s ran. */
void stride_charge(struct stride *s);
/* Whether a should run before b (a has the smaller pass; on a tie,
 * neither: the caller keeps the one it saw first). */
int stride_before(const struct stride *a, const struct stride *b);
/* Brings a process that was not runnable for a while (asleep, or new)
 * up to the scheduler's virtual time vtime, so that the credit it did not
 * use while away does not let it run alone for a long time now. */
void stride_join(struct stride *s, uint64_t vtime);
#endif
