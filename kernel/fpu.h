/* Lazy floating-point state: a process's f registers are saved only when
 * it wrote them (sstatus.FS Dirty) and loaded only when it uses them
 * again on a hart that no longer holds them. The rules are in
 * docs/architecture.md ("Floating-point state"). */
#ifndef RVOS_KERNEL_FPU_H
#define RVOS_KERNEL_FPU_H
#include <stdint.h>

struct proc;
/* p gives up the hart (sched): save its registers if it wrote them. */
void fpu_switch_out(struct proc *p);
/* p gets the hart: FS Clean if the registers still hold p's values, else
 * Off, so that p's first f instruction traps and fpu_lazy_load runs. */
void fpu_switch_in(struct proc *p);
/* An illegal-instruction trap from p in user mode: if FS is Off, loads
 * p's registers and returns 1 (retry the instruction); else 0. */
int fpu_lazy_load(struct proc *p);
/* The running process's current floating-point state (f0..f31, fcsr)
 * into out[33], wherever it lives (the registers, or p->fpregs while FS
 * is Off). Its counterpart is fp_restore (arch/riscv/trap.h). */
void fp_save(uint64_t *out);
#endif
