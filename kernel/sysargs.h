/* Fetching system-call arguments of the current process. */
#ifndef RVOS_KERNEL_SYSARGS_H
#define RVOS_KERNEL_SYSARGS_H
#include <stdint.h>
uint64_t arg_raw(int n);
int arg_int(int n);
int64_t arg_long(int n);
#define SYSCALL_ERR ((uint64_t)-1)
#endif
