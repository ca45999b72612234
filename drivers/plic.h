#ifndef RVOS_DRIVERS_PLIC_H
#define RVOS_DRIVERS_PLIC_H
#include <stdint.h>
void plic_init(uint64_t base_pa);
void plic_enable(uint32_t irq, int context); /* route irq to a hart's S-mode context */
uint32_t plic_claim(int context);
void plic_complete(int context, uint32_t irq);
#endif
