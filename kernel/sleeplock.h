/* Sleep locks: a lock whose waiters sleep instead of spinning, for
 * holders that take long or may be preempted (a file's contents while a
 * large read or write copies them). Only processes may take one, never an
 * interrupt handler, and never while holding a spin lock. */
#ifndef RVOS_KERNEL_SLEEPLOCK_H
#define RVOS_KERNEL_SLEEPLOCK_H
#include "spinlock.h"

struct sleeplock {
    struct spinlock guard; /* protects the two fields below */
    int locked;
    int pid; /* holder (0 while booting, before any process exists) */
    const char *name;
    int waiters; /* processes sleeping on it, under guard */
};

void sleeplock_init(struct sleeplock *lk, const char *name);
void sleep_lock(struct sleeplock *lk);
void sleep_unlock(struct sleeplock *lk);
/* Whether the calling process holds lk. */
int sleep_holding(struct sleeplock *lk);
/* How many sleep locks the calling process holds: mm/ reads a file into
 * a page only when it holds none (it could be that file's inode lock). */
int sleep_locks_held(void);
#endif
