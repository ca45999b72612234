#ifndef RVOS_KERNEL_TRAP_H
#define RVOS_KERNEL_TRAP_H
#include <stdint.h>
struct trapframe;
enum { INTR_NONE, INTR_TIMER, INTR_DEVICE };
/* What scause says, in words ("store page fault"). */
const char *scause_name(uint64_t scause);
int device_intr(uint64_t scause); /* handles an interrupt; INTR_NONE if scause is an exception */
/* ^P: asks every other hart, by IPI, to print where it is (its pc, and
 * its kernel backtrace when in the kernel) at its next trap. */
void hart_dump_all(void);
/* After a device interrupt: answers hart_dump_all if it asked this hart. */
void device_intr_report(const struct trapframe *tf, int from_user);
void timer_arm(void);
/* Tells trap.S where this hart's boot (scheduler) stack and its guard page
 * are, and gives it a stack to report an overflow from. tp must be set. */
void trap_init_stacks(uint64_t hartid);
void clock_tick(void); /* kernel/clock.c, hart 0 only */
#endif
