/* Fetching system-call arguments of the current process: a0..a5 as the
 * trap saved them. Inline, because every system call fetches a few: each
 * is one load of myproc() through tp and one from its trap frame. */
#ifndef RVOS_KERNEL_SYSARGS_H
#define RVOS_KERNEL_SYSARGS_H
#include <stdint.h>
#include "proc.h"
static inline uint64_t arg_raw(int n) { return myproc()->tf.x[TF_A0 + n]; }
static inline int arg_int(int n) { return (int)arg_raw(n); }
static inline int64_t arg_long(int n) { return (int64_t)arg_raw(n); }
#define SYSCALL_ERR ((uint64_t)-1)
#endif
