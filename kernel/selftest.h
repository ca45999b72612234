#ifndef RVOS_KERNEL_SELFTEST_H
#define RVOS_KERNEL_SELFTEST_H
#include <stdint.h>
/* In-kernel boot self-tests, chosen by "selftest=NAME" on the command
 * line. Each powers the machine off with 0 on success. */
__attribute__((noreturn)) void selftest_run(const char *name);
/* selftest=reentry: kmain starts its last hart at the cold-boot entry
 * (_start, physical address cold) instead of _start_secondary, as Debian
 * 12's OpenSBI 1.1 sometimes does by accident. Returns cold, after marking
 * state the second entry must not wipe. */
uint64_t selftest_reentry_prepare(uint64_t cold);
#endif
