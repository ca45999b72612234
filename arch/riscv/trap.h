/* The register frame saved on every trap. For a trap from user mode it
 * lives in the process (sscratch points at it while the process runs in
 * user mode); for a trap from the kernel it is pushed on the kernel stack. */
#ifndef RVOS_ARCH_TRAP_H
#define RVOS_ARCH_TRAP_H

#define TF_REG(n) ((n)*8)
#define TF_SEPC 256
#define TF_SSTATUS 264
#define TF_KSP 272
#define TF_KTP 280
#define TF_SIZE 288

/* Fields of struct cpu (kernel/cpu.h) that trap.S reads through tp. */
#define CPU_KSTACK_GUARD 0 /* guard page below the stack the hart runs on */
#define CPU_EMERGENCY_SP 8 /* top of a small stack for reporting an overflow */
#define CPU_SCRATCH 16     /* two words trap.S borrows on entry */

#ifndef __ASSEMBLER__
#include <stdint.h>
struct trapframe {
    uint64_t x[32]; /* x[0] unused; x[2] = sp, x[10] = a0, ... */
    uint64_t sepc;
    uint64_t sstatus;   /* kernel traps only */
    uint64_t kernel_sp; /* user traps: the process's kernel stack top */
    uint64_t kernel_tp; /* user traps: this hart's struct cpu */
};
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trap.S depends on this layout");

#define TF_A0 10
#define TF_A7 17
#define TF_SP 2
#define TF_RA 1
#define TF_FP 8

void trap_init_hart(void);
__attribute__((noreturn)) void user_return(struct trapframe *tf);
void kernel_trap(struct trapframe *tf);
__attribute__((noreturn)) void user_trap(struct trapframe *tf);
/* arch/riscv/fpu.S: the f registers and fcsr to memory (FS must not be
 * Off: kernel/fpu.c's fp_save is the call that works in every state),
 * and from memory (sets FS to Dirty). */
void fp_regs_save(uint64_t *regs33);
void fp_restore(const uint64_t *regs33);
#endif
#endif
