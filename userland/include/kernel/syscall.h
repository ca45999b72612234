/* The classic xv6 include path "kernel/syscall.h": the system-call numbers,
 * the classic ones (1 to 21) and rvos's extensions (40 on). This is the
 * user header; the kernel's kernel/syscall.h is internal and out of reach
 * of user programs. */
#include "rvos/syscall.h"
/* The classic kernel called pause "sleep" until 2024: both names work. */
#ifndef SYS_sleep
#define SYS_sleep SYS_pause
#endif
