/* Lazy floating-point state (docs/architecture.md, "Floating-point
 * state"). Two records say whose values the f registers hold:
 * cpu->fp_owner names the process whose state this hart's registers held
 * when it last saved or loaded them, and proc->fp_cpu the hart where that
 * last happened (-1: none). Only when both agree do the registers still
 * hold p's values: the hart may have loaded another process's state since
 * (fp_owner changed), or p may have run and saved elsewhere since (fp_cpu
 * changed), or the slot may hold a new process (proc_alloc sets -1).
 *
 * sstatus.FS (privileged spec 4.1.1.5) does the rest: Off while the
 * registers are not the running process's (its first f instruction
 * traps), Clean while they are and equal p->fpregs, Dirty once anything
 * wrote them (the hart sets it, and so does fp_restore). Everything here
 * runs with interrupts off: the caller holds p->lock, or is in a trap. */
#include "fpu.h"
#include "proc.h"
#include "string.h"
#include "../arch/riscv/csr.h"

static inline uint64_t fs_get(void) { return csr_read(sstatus) & SSTATUS_FS_MASK; }

static inline void fs_set(uint64_t fs)
{
    csr_clear(sstatus, SSTATUS_FS_MASK);
    csr_set(sstatus, fs);
}

/* The registers now equal p->fpregs, on this hart. */
static inline void own(struct cpu *c, struct proc *p)
{
    c->fp_owner = p;
    p->fp_cpu = c->index;
}

void fpu_switch_out(struct proc *p)
{
    if (fs_get() == SSTATUS_FS_DIRTY) {
        fp_regs_save(p->fpregs);
        own(mycpu(), p);
    }
}

void fpu_switch_in(struct proc *p)
{
    struct cpu *c = mycpu();
    fs_set(c->fp_owner == p && p->fp_cpu == c->index ? SSTATUS_FS_CLEAN : SSTATUS_FS_OFF);
}

int fpu_lazy_load(struct proc *p)
{
    if (fs_get() != SSTATUS_FS_OFF)
        return 0;
    fp_restore(p->fpregs);
    own(mycpu(), p);
    fs_set(SSTATUS_FS_CLEAN);
    return 1;
}

void fp_save(uint64_t *out)
{
    push_off(); /* FS must not change between the test and the copy */
    if (fs_get() == SSTATUS_FS_OFF)
        memcpy(out, myproc()->fpregs, sizeof myproc()->fpregs);
    else
        fp_regs_save(out);
    pop_off();
}
