/* See stride.h. Pure arithmetic on struct stride; the scheduler that uses
 * it is kernel/sched_stride.c. */
#include "stride.h"

int stride_tickets_valid(long n) { return n >= TICKETS_MIN && n <= TICKETS_MAX; }

uint64_t stride_step(uint32_t tickets)
{
    /* tickets is never 0 here: settickets accepts TICKETS_MIN and up. */
    /* LAB sched BEGIN: the stride is inversely proportional to the tickets */
    return STRIDE_ONE / (tickets ? tickets : 1);
    /* LAB sched STUB
    (void)tickets;
    return STRIDE_ONE;
       LAB sched END */
}

void stride_charge(struct stride *s)
{
    /* Called once per quantum, whether the process used all of it or not. */
    /* LAB sched BEGIN: a quantum advances the pass by one stride */
    s->pass += stride_step(s->tickets);
    /* LAB sched STUB
    (void)s;
       LAB sched END */
}

int stride_before(const struct stride *a, const struct stride *b)
{
    /* A strict order: on a tie the caller keeps the first it saw. */
    /* LAB sched BEGIN: the smaller pass runs first */
    return a->pass < b->pass;
    /* LAB sched STUB
    (void)a;
    (void)b;
    return 0;
       LAB sched END */
}

void stride_join(struct stride *s, uint64_t vtime)
{
    /* LAB sched BEGIN: never let a returning process start behind the virtual time */
    if (s->pass < vtime)
        s->pass = vtime;
    /* LAB sched STUB
    (void)s;
    (void)vtime;
       LAB sched END */
}
