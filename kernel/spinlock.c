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

#ifdef RVOS_DEBUG
/* The debug kernel measures how long push_off keeps interrupts off that
 * were on (rdtime ticks: under -icount shift=0, hundreds of instructions):
 * the longest stretch, printed when the machine powers off. */
static uint64_t off_since[MAX_HARTS];
static uint64_t off_longest;

uint64_t irqoff_longest(void) { return __atomic_load_n(&off_longest, __ATOMIC_RELAXED); }

uint64_t irqoff_now(void)
{
    struct cpu *c = mycpu();
    return c->noff > 0 && c->intena ? rdtime() - off_since[c->index] : 0;
}

void irqoff_note(uint64_t *longest)
{
    uint64_t d = irqoff_now();
    if (d > *longest)
        *longest = d;
}
#endif

void push_off(void)
{
    int on = intr_get();
    intr_off();
    struct cpu *c = mycpu();
    if (c->noff == 0) {
        c->intena = on;
#ifdef RVOS_DEBUG
        if (on)
            off_since[c->index] = rdtime();
#endif
    }
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
    if (c->noff == 0 && c->intena) {
#ifdef RVOS_DEBUG
        uint64_t d = rdtime() - off_since[c->index], was = off_longest;
        while (d > was && !__atomic_compare_exchange_n(&off_longest, &was, d, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            ;
#endif
        intr_on();
    }
}
