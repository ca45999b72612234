/* RISC-V Platform-Level Interrupt Controller (riscv-plic-spec 1.0.0):
 * priorities at 4*irq, enable bits at 0x2000 + 0x80*context, threshold and
 * claim/complete at 0x200000 + 0x1000*context. */
#include "plic.h"
#include "../arch/riscv/memlayout.h"

static volatile uint8_t *plic;

static volatile uint32_t *reg(uint64_t off) { return (volatile uint32_t *)(plic + off); }

void plic_init(uint64_t base_pa) { plic = pa_to_va(base_pa); }

void plic_enable(uint32_t irq, int context)
{
    *reg(4 * irq) = 1;
    *reg(0x2000 + 0x80 * context + 4 * (irq / 32)) |= 1U << (irq % 32);
    *reg(0x200000 + 0x1000 * context) = 0; /* threshold: accept every priority > 0 */
}

uint32_t plic_claim(int context) { return *reg(0x200004 + 0x1000 * context); }

void plic_complete(int context, uint32_t irq) { *reg(0x200004 + 0x1000 * context) = irq; }
