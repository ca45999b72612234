#ifndef RVOS_DRIVERS_FINISHER_H
#define RVOS_DRIVERS_FINISHER_H
#include <stdint.h>
void finisher_init(uint64_t base_pa);
/* Powers the machine off. Under QEMU, status becomes QEMU's exit code. */
__attribute__((noreturn)) void machine_poweroff(int status);
#endif
