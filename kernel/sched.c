/* The scheduling policies there are, and the one in force. */
#include "sched.h"
#include "proc.h"
#include "string.h"
#include "sysargs.h"

const struct sched_policy *sched_policy = &sched_rr;

static const struct sched_policy *const all[] = {&sched_rr, &sched_stride};

int sched_policy_select(const char *name)
{
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i]->name, name) == 0) {
            sched_policy = all[i];
            return 0;
        }
    return -1;
}

const char *sched_policy_name(int i) { return i >= 0 && i < (int)(sizeof all / sizeof all[0]) ? all[i]->name : 0; }

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
