/* Spin locks. Interrupts stay off while a lock is held on this hart, so an
 * interrupt handler can never spin on a lock its own hart holds. */
#include "spinlock.h"
#include "cpu.h"
#include "panic.h"
#include "../arch/riscv/csr.h"

void spin_init(struct spinlock *lk, const char *name)
{
    lk->locked = 0;
    lk->name = name;
    lk->owner = 0;
}

void spin_lock(struct spinlock *lk)
{
    push_off();
    if (spin_holding(lk))
        panic("spin_lock: %s already held by this hart", lk->name);
    while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE))
        ;
    lk->owner = mycpu();
}

int spin_trylock(struct spinlock *lk)
{
    push_off();
    if (spin_holding(lk))
        panic("spin_trylock: %s already held by this hart", lk->name);
    if (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE)) {
        pop_off();
        return 0;
    }
    lk->owner = mycpu();
    return 1;
}

int cpu_index(void) { return mycpu()->index; }

void spin_unlock(struct spinlock *lk)
{
    if (!spin_holding(lk))
        panic("spin_unlock: %s not held", lk->name);
    lk->owner = 0;
    __atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
    pop_off();
}

int spin_holding(struct spinlock *lk) { return lk->locked && lk->owner == mycpu(); }

void push_off(void)
{
    int on = intr_get();
    intr_off();
    struct cpu *c = mycpu();
    if (c->noff == 0)
        c->intena = on;
    c->noff++;
}

int cpu_spin_depth(void) { return mycpu()->noff; }

void pop_off(void)
{
    struct cpu *c = mycpu();
    if (intr_get())
        panic("pop_off: interrupts enabled");
    if (c->noff < 1)
        panic("pop_off: unbalanced");
    c->noff--;
    if (c->noff == 0 && c->intena)
        intr_on();
}
