/* Scheduling policies behind one interface, chosen at boot with
 * sched=NAME on the command line (like mm.fork=, see mm/fork.h).
 *
 * Every hart runs scheduler() in kernel/proc.c, which asks the policy in
 * force which process to run next and tells it when that process comes
 * back. The policy owns nothing else: states, locks and the context
 * switch stay in proc.c. */
#ifndef RVOS_KERNEL_SCHED_H
#define RVOS_KERNEL_SCHED_H

struct cpu;
struct proc;

struct sched_policy {
    const char *name;
    /* A RUNNABLE process for hart c, returned with its lock held, or 0
     * when there is none; the caller switches to it. Called from
     * scheduler() with interrupts on, and from sched() with interrupts
     * off and the outgoing process's lock held: so it takes locks with
     * spin_trylock only, skipping a process whose lock is held (the
     * caller's own, or one another hart is busy with), and two harts
     * picking each other's process can never deadlock. */
    struct proc *(*pick)(struct cpu *c);
    /* p is giving up the hart (its lock held, its state no longer
     * RUNNING), before the pick of what runs next: account for the
     * quantum it used. */
    void (*ran)(struct cpu *c, struct proc *p);
    /* 1 if a process that yields (still RUNNABLE) may be left out of the
     * pick, as it is when sched() picks while holding its lock: round
     * robin would not pick it next anyway, and runs it on if nothing else
     * is runnable. 0 (stride, and any policy that may want to pick the
     * yielding process again): sched() goes through scheduler(), which
     * picks once the process's lock is released. */
    int yield_direct;
};

extern const struct sched_policy sched_rr;     /* kernel/sched_rr.c, the default */
extern const struct sched_policy sched_stride; /* kernel/sched_stride.c */
extern const struct sched_policy *sched_policy;

/* Selects a policy by name; 0, or -1 if there is none of that name. */
int sched_policy_select(const char *name);
/* The name of the i-th policy, or 0 past the last. */
const char *sched_policy_name(int i);
#endif
