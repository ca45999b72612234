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
/* Takes lk if it is free; 1 if taken, 0 (and nothing changed) if not. */
int spin_trylock(struct spinlock *lk);
/* This hart's index in cpus[] (0..ncpu-1), for per-hart data kept by code
 * that cannot include kernel/cpu.h (mm/page.c, compiled for the host too).
 * The caller may move to another hart right after, unless interrupts are
 * off. */
int cpu_index(void);
/* Interrupt disabling that nests: push_off twice needs pop_off twice. */
void push_off(void);
void pop_off(void);
/* How many spin locks (push_off levels) this hart holds: mm/ asks before
 * it drops an address space's lock to read a file, which sleeps. */
int cpu_spin_depth(void);
#ifdef RVOS_DEBUG
/* The debug kernel: the longest stretch push_off kept interrupts off that
 * were on, in rdtime ticks (printed at power-off). */
uint64_t irqoff_longest(void);
/* How long interrupts have been off on this hart so far (0 if they were
 * off before the outermost push_off); irqoff_note keeps the most in
 * *longest. */
uint64_t irqoff_now(void);
void irqoff_note(uint64_t *longest);
/* mm/fork_copy.c: the longest stretch a copying fork kept them off. */
uint64_t fork_copy_irqoff_longest(void);
/* mm/aspace.c: the longest stretch freeing user memory (exit, a
 * shrinking sbrk) kept them off. */
uint64_t free_irqoff_longest(void);
#endif
#endif
