/* Sleep locks over sleep_on/wakeup. The guard spin lock is held only for
 * the few instructions that test and set `locked`, so interrupts stay
 * enabled while the sleep lock itself is held. */
#include "sleeplock.h"
#include "panic.h"
#include "proc.h"

void sleeplock_init(struct sleeplock *lk, const char *name)
{
    spin_init(&lk->guard, "sleeplock");
    lk->locked = 0;
    lk->pid = 0;
    lk->waiters = 0;
    lk->name = name;
}

static int current_pid(void)
{
    struct proc *p = myproc();
    return p ? p->pid : 0;
}

void sleep_lock(struct sleeplock *lk)
{
    spin_lock(&lk->guard);
    /* A loop, not an if: kill makes a sleeper runnable without the lock
     * being free, and another waiter may get it first. */
    while (lk->locked) {
        lk->waiters++;
        sleep_on(lk, &lk->guard);
        lk->waiters--;
    }
    lk->locked = 1;
    lk->pid = current_pid();
    spin_unlock(&lk->guard);
    struct proc *p = myproc();
    if (p)
        p->sleep_locks++;
}

int sleep_locks_held(void)
{
    struct proc *p = myproc();
    return p ? p->sleep_locks : 0;
}

void sleep_unlock(struct sleeplock *lk)
{
    spin_lock(&lk->guard);
    if (!lk->locked || lk->pid != current_pid())
        panic("sleep_unlock: %s not held by pid %d", lk->name, current_pid());
    lk->locked = 0;
    lk->pid = 0;
    if (lk->waiters) /* wakeup scans every process: skip it when nobody waits */
        wakeup(lk);
    spin_unlock(&lk->guard);
    struct proc *p = myproc();
    if (p)
        p->sleep_locks--;
}

int sleep_holding(struct sleeplock *lk)
{
    spin_lock(&lk->guard);
    int held = lk->locked && lk->pid == current_pid();
    spin_unlock(&lk->guard);
    return held;
}
