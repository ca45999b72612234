/* Which page table a hart runs on: the one owner of the invariant "satp
 * names a live page table" (docs/mm.md, "Which page table a hart runs on").
 *
 * Each hart records in its struct cpu the address space its satp names
 * (0 for the kernel table). The scheduler activates the process it is about
 * to run and deactivates whatever the record names when it gets the hart
 * back, so what it undoes never depends on fields the process may have
 * changed while it ran (p->as is cleared at exit and replaced by exec).
 * aspace_destroy checks every hart's record: freeing a table some hart
 * still runs on is a panic, not silent corruption. */
#include "aspace.h"
#include "kmap.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/tlb.h"
#include "../kernel/cpu.h"

void aspace_activate(struct aspace *as)
{
    push_off();
    struct cpu *c = mycpu();
    if (c->active_as != as) {
        /* satp_switch flushes this hart's whole TLB: no translation of the
         * previous address space survives (docs/mm.md, TLB rules). */
        if (as)
            satp_switch(aspace_root_pa(as));
        else
            kmap_activate();
        /* The frames behind as may have held other bytes when this hart
         * last fetched from them (exec wrote text through the direct map,
         * copy-fork copied it, or the frame was recycled from data), and
         * instruction fetch is not coherent with stores on RISC-V
         * (unprivileged spec, "Zifencei"). Every user instruction runs
         * after an activation, so one fence.i here covers them all. The
         * stores of other harts are visible here already: the lock that
         * handed us the process ordered them. */
        if (as)
            __asm__ volatile("fence.i" ::: "memory");
        __atomic_store_n(&c->active_as, as, __ATOMIC_RELEASE);
    }
    pop_off();
}

void aspace_deactivate(void) { aspace_activate(0); }

/* A page was just filled with instructions (a lazy fault on text, an
 * executable mapping) while as may be running here: fetches on this hart
 * must see the new bytes before the process returns to them. Elsewhere
 * as runs nowhere, and its next activation fences. */
void aspace_text_filled(struct aspace *as)
{
    push_off();
    if (mycpu()->active_as == as)
        __asm__ volatile("fence.i" ::: "memory");
    pop_off();
}

int aspace_active_on(const struct aspace *as)
{
    for (int i = 0; i < ncpu; i++)
        if (__atomic_load_n(&cpus[i].active_as, __ATOMIC_ACQUIRE) == as)
            return (int)cpus[i].hartid;
    return -1;
}
