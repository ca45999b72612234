/* The user-level alarm (lab traps): sigalarm(ticks, handler) makes the
 * kernel call handler in user mode every `ticks` timer ticks the process
 * spends running in user mode; the handler ends with sigreturn(), which
 * resumes the interrupted code with every register as it was. */
#ifndef RVOS_KERNEL_ALARM_H
#define RVOS_KERNEL_ALARM_H
#include <stdint.h>
#include "../arch/riscv/trap.h"

struct alarm {
    int interval;           /* ticks between calls; 0: no alarm */
    int ticks;              /* ticks counted towards the next call */
    uint64_t handler;       /* user address of the handler */
    int in_handler;         /* the handler runs: no new call until sigreturn */
    struct trapframe saved; /* the interrupted user registers... */
    uint64_t saved_fp[33];  /* ...and floating-point registers (f0-f31, fcsr) */
};

/* A timer tick taken while the current process ran in user mode, with tf
 * its trap frame: calls the handler (by changing tf) when it is due. */
void alarm_tick(struct trapframe *tf);
#endif
