/* Round robin: each hart scans the process table from just past the
 * slot it ran last, and runs the first RUNNABLE process it finds. Every
 * process gets the same share, whatever its tickets. */
#include "sched.h"
#include "proc.h"

/* Per hart: the slot to look at first. Only that hart uses its entry. */
static int next_slot[MAX_HARTS];

static struct proc *rr_pick(struct cpu *c)
{
    int used = proc_slots(), start = next_slot[c->index];
    for (int k = 0; k < used; k++) {
        int slot = start + k < used ? start + k : start + k - used;
        struct proc *p = &proc_table[slot];
        /* Peek first: taking every slot's lock on every pass is most of
         * an idle hart's work. A stale peek only delays a pick. A locked
         * process is skipped (its lock may be the caller's own, see
         * sched.h), and so is one another hart takes under our nose. */
        if (__atomic_load_n(&p->state, __ATOMIC_RELAXED) != PROC_RUNNABLE ||
            __atomic_load_n(&p->lock.locked, __ATOMIC_RELAXED) || !spin_trylock(&p->lock))
            continue;
        if (p->state == PROC_RUNNABLE)
            return p;
        spin_unlock(&p->lock);
    }
    return 0;
}

static void rr_ran(struct cpu *c, struct proc *p) { next_slot[c->index] = (int)(p - proc_table) + 1; }

const struct sched_policy sched_rr = {"rr", rr_pick, rr_ran, 1};
