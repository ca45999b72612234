#ifndef RVOS_KERNEL_PLATFORM_H
#define RVOS_KERNEL_PLATFORM_H
#include "../drivers/fdt.h"
/* What the device tree told us, parsed once at boot. */
extern struct platform platform;
extern uint64_t timer_interval; /* timebase ticks between timer interrupts */
#define TIMER_HZ 100
#define MAXARGS_INIT 32 /* MAXARG (include/rvos/param.h): argv[0] and 31 words after -- */
#endif
