/* Per-hart state. While in the kernel, register tp points at this hart's
 * struct cpu (user tp is saved in the trap frame). */
#ifndef RVOS_KERNEL_CPU_H
#define RVOS_KERNEL_CPU_H
#include <stdint.h>
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/trap.h"
#include "../include/rvos/param.h"

struct context { /* callee-saved registers, switched by swtch() */
    uint64_t ra, sp, s[12];
};

struct proc;
struct aspace;
struct cpu {
    /* Read by trap.S at the offsets arch/riscv/trap.h names (CPU_*). */
    uint64_t kstack_guard; /* guard page below the stack this hart runs on */
    uint64_t emergency_sp; /* where a kernel stack overflow is reported from */
    uint64_t trap_scratch[2];
    struct proc *proc;        /* running process, or 0 */
    struct context scheduler; /* swtch() here to enter the scheduler */
    int noff;                 /* depth of push_off() nesting */
    int intena;               /* were interrupts on before push_off()? */
    uint32_t hartid;
    int index;               /* 0..ncpu-1 */
    volatile uint64_t ticks; /* timer interrupts taken on this hart */
    volatile int online;
    volatile int idle; /* in wfi with nothing to run */
    /* The address space this hart's satp names (0: the kernel table).
     * Written only by this hart, in mm/activate.c; read by others. */
    struct aspace *active_as;
    /* The process whose floating-point state this hart's f registers held
     * when it last saved or loaded one (kernel/fpu.c); 0: none. */
    struct proc *fp_owner;
    /* Set by whoever switches away (sched): the process that gave up the
     * hart, still locked until the side that runs next releases it
     * (kernel/proc.c, switch_finish); 0 after a switch from scheduler(). */
    struct proc *prev;
    uint64_t sched_guard; /* kstack_guard of the stack scheduler() runs on */
    uint64_t kstack_seen; /* process stack mappings this hart's TLB knows (mm/kmap.h) */
};

_Static_assert(__builtin_offsetof(struct cpu, kstack_guard) == CPU_KSTACK_GUARD, "trap.S");
_Static_assert(__builtin_offsetof(struct cpu, emergency_sp) == CPU_EMERGENCY_SP, "trap.S");
_Static_assert(__builtin_offsetof(struct cpu, trap_scratch) == CPU_SCRATCH, "trap.S");

_Static_assert(NCPU == MAX_HARTS, "user programs learn the hart limit from include/rvos/param.h");

extern struct cpu cpus[MAX_HARTS];
extern int ncpu;
int harts_online(void); /* kernel/main.c: harts that reached the scheduler */

static inline struct cpu *mycpu(void)
{
    struct cpu *c;
    __asm__ volatile("mv %0, tp" : "=r"(c));
    return c;
}

void swtch(struct context *old, struct context *new);
#endif
