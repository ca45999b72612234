#ifndef RVOS_KERNEL_PANIC_H
#define RVOS_KERNEL_PANIC_H
#include <stdint.h>
/* QEMU exit status after a panic: distinct from any test's own failure. */
#define PANIC_EXIT_STATUS 101
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* Panic from a trap: also prints scause, sepc, stval and a backtrace
 * starting at the trapped frame. */
__attribute__((noreturn)) void panic_trap(const char *why, uint64_t scause, uint64_t sepc, uint64_t stval, uint64_t fp);
void backtrace_from(uint64_t fp, uint64_t pc);
#define ASSERT(c)                                                                                                      \
    do {                                                                                                               \
        if (!(c))                                                                                                      \
            panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);                                             \
    } while (0)
#endif
