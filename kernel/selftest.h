#ifndef RVOS_KERNEL_SELFTEST_H
#define RVOS_KERNEL_SELFTEST_H
/* In-kernel boot self-tests, chosen by "selftest=NAME" on the command
 * line. Each powers the machine off with 0 on success. */
__attribute__((noreturn)) void selftest_run(const char *name);
#endif
