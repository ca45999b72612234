#ifndef RVOS_KERNEL_SPINLOCK_H
#define RVOS_KERNEL_SPINLOCK_H
#include <stdint.h>

struct spinlock {
    volatile uint32_t locked;
    const char *name;
    struct cpu *owner;
};

void spin_init(struct spinlock *lk, const char *name);
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);
int spin_holding(struct spinlock *lk);
/* Interrupt disabling that nests: push_off twice needs pop_off twice. */
void push_off(void);
void pop_off(void);
#endif
