/* The classic include path "kernel/spinlock.h". Lab tests include it (the
 * fs lab's symlinktest, before kernel/file.h) without using what is in it:
 * a user program cannot reach a kernel lock. The structure is declared so
 * that code naming it compiles; rvos's own spinlock is in the kernel. */
#ifndef RVOS_COMPAT_KERNEL_SPINLOCK_H
#define RVOS_COMPAT_KERNEL_SPINLOCK_H
#include "kernel/types.h"

struct spinlock {
    uint locked; /* held? */
    char *name;  /* for messages */
};
#endif
