/* The classic include path "kernel/sleeplock.h": included by lab tests
 * (symlinktest) that use nothing in it. Declared, like kernel/spinlock.h,
 * only so that such code compiles; no user program can take a kernel lock. */
#ifndef RVOS_COMPAT_KERNEL_SLEEPLOCK_H
#define RVOS_COMPAT_KERNEL_SLEEPLOCK_H
#include "kernel/spinlock.h"

struct sleeplock {
    uint locked;        /* held? */
    struct spinlock lk; /* protects it */
    char *name;         /* for messages */
    int pid;            /* the holder */
};
#endif
