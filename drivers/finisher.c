/* SiFive test finisher ("sifive,test0"), as QEMU virt provides it: writing
 * 0x5555 exits QEMU with status 0, (code << 16) | 0x3333 exits with code.
 * Without one we fall back to SBI system reset (status is then lost). */
#include "finisher.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/sbi.h"
#include "../arch/riscv/csr.h"
#ifdef RVOS_DEBUG
#include "../kernel/clock.h"
#include "../kernel/printk.h"
#include "../kernel/spinlock.h"
#endif

#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

static volatile uint32_t *finisher;

void finisher_init(uint64_t base_pa) { finisher = base_pa ? pa_to_va(base_pa) : 0; }

void machine_poweroff(int status)
{
#ifdef RVOS_DEBUG
    /* Under -icount shift=0 a nanosecond is an instruction. */
    printk("irqoff: the longest interrupts-off stretch was %lu ns; in a copying fork, %lu ns; freeing user memory, "
           "%lu ns\n",
           clock_ticks_to_ns(irqoff_longest()), clock_ticks_to_ns(fork_copy_irqoff_longest()),
           clock_ticks_to_ns(free_irqoff_longest()));
#endif
    if (finisher) {
        if (status == 0)
            *finisher = FINISHER_PASS;
        else
            *finisher = ((uint32_t)(status & 0xffff) << 16) | FINISHER_FAIL;
    }
    sbi_system_reset(0 /* shutdown */, status ? 1 /* system failure */ : 0);
    for (;;)
        wfi();
}
