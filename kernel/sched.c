/* The scheduling policies there are, and the one in force. */
#include "sched.h"
#include "proc.h"
#include "sysargs.h"
#include "../mm/policy.h"

const struct sched_policy *sched_policy = &sched_rr;

static const struct sched_policy *const all[] = {&sched_rr, &sched_stride};

int sched_policy_select(const char *name)
{
    const struct sched_policy *p = policy_lookup((const void *const *)all, POLICY_COUNT(all), name);
    if (!p)
        return -1;
    sched_policy = p;
    return 0;
}

const char *sched_policy_name(int i) { return policy_name_at((const void *const *)all, POLICY_COUNT(all), i); }

/* settickets(n): gives the calling process n tickets (TICKETS_MIN to
 * TICKETS_MAX) and returns how many it had, or -1 if n is out of range.
 * Children inherit their parent's tickets at fork. Round robin ignores
 * them; sched=stride shares the harts in proportion to them. */
uint64_t sys_settickets(void)
{
    /* LAB sched BEGIN: check n, swap it in under the process lock, return the old count */
    long n = arg_long(0);
    if (!stride_tickets_valid(n))
        return SYSCALL_ERR;
    struct proc *p = myproc();
    spin_lock(&p->lock);
    uint32_t old = p->stride.tickets;
    p->stride.tickets = (uint32_t)n;
    spin_unlock(&p->lock);
    return old;
    /* LAB sched STUB
    return SYSCALL_ERR;
       LAB sched END */
}
