#ifndef RVOS_KERNEL_TRAP_H
#define RVOS_KERNEL_TRAP_H
#include <stdint.h>
struct trapframe;
enum { INTR_NONE, INTR_TIMER, INTR_DEVICE };
int device_intr(uint64_t scause); /* handles an interrupt; INTR_NONE if scause is an exception */
void timer_arm(void);
/* Tells trap.S where this hart's boot (scheduler) stack and its guard page
 * are, and gives it a stack to report an overflow from. tp must be set. */
void trap_init_stacks(uint64_t hartid);
void clock_tick(void); /* kernel/clock.c, hart 0 only */
#endif
