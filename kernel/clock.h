#ifndef RVOS_KERNEL_CLOCK_H
#define RVOS_KERNEL_CLOCK_H
#include <stdint.h>
#define TICKS_PER_SECOND 100
uint64_t clock_ticks(void);
int clock_pause(uint64_t ticks); /* -1 if killed meanwhile */
uint64_t clock_ns(void);
/* A span of rdtime ticks in nanoseconds (the device tree's timebase). */
uint64_t clock_ticks_to_ns(uint64_t ticks); /* rdtime in nanoseconds */
#endif
