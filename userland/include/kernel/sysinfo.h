/* The classic include path "kernel/sysinfo.h" (the syscall lab's
 * sysinfotest includes it): struct sysinfo, as the kernel fills it in. */
#ifndef RVOS_COMPAT_KERNEL_SYSINFO_H
#define RVOS_COMPAT_KERNEL_SYSINFO_H
#include "rvos/sysinfo.h"
#endif
