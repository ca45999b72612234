/* The user-level alarm (lab traps; see alarm.h). Only ticks that find the
 * process in user mode count: CPU time the process itself consumed, not
 * wall-clock time, so a process that sleeps or waits for a hart is not
 * called any sooner. fork: the child starts without an alarm (proc_alloc);
 * exec: the alarm is cancelled (its handler was in the old image). */
#include "alarm.h"
#include "fpu.h"
#include "proc.h"
#include "string.h"
#include "sysargs.h"

/* sigalarm(ticks, handler): from now on call handler every `ticks` ticks;
 * sigalarm(0, anything) turns the alarm off. Returns 0, or -1 if ticks is
 * negative. A handler interrupted by this call keeps running; the new
 * setting applies from its sigreturn. */
uint64_t sys_sigalarm(void)
{
    int ticks = arg_int(0);
    uint64_t handler = arg_raw(1);
    if (ticks < 0)
        return SYSCALL_ERR;
    /* LAB traps BEGIN: record the interval and the handler; restart the count */
    struct alarm *a = &myproc()->alarm;
    a->interval = ticks;
    a->handler = ticks ? handler : 0;
    a->ticks = 0;
    return 0;
    /* LAB traps STUB
    (void)handler;
    return SYSCALL_ERR;
       LAB traps END */
}

void alarm_tick(struct trapframe *tf)
{
    /* LAB traps BEGIN: count the tick; when due and not in the handler, save the registers, enter the handler */
    struct proc *p = myproc();
    struct alarm *a = &p->alarm;
    if (a->interval == 0 || a->in_handler || ++a->ticks < a->interval)
        return;
    a->ticks = 0;
    a->in_handler = 1;
    a->saved = *tf;
    /* The interrupted code's f registers (fp_save finds them wherever the
     * lazy switching left them: the hart's registers or p->fpregs). */
    fp_save(a->saved_fp);
    tf->sepc = a->handler;
    /* LAB traps STUB
    (void)tf;
       LAB traps END */
}

/* sigreturn(): the end of a handler. Resumes the code the alarm
 * interrupted, with all its registers (a0 too: the value returned here is
 * what dispatch writes into a0). -1 if no handler is running. */
uint64_t sys_sigreturn(void)
{
    /* LAB traps BEGIN: restore the saved registers, leave the handler, return the interrupted a0 */
    struct proc *p = myproc();
    struct alarm *a = &p->alarm;
    if (!a->in_handler)
        return SYSCALL_ERR;
    /* The kernel-side fields (kernel_sp, kernel_tp) are rewritten on the
     * way out; copy the user-visible state only. */
    memcpy(p->tf.x, a->saved.x, sizeof p->tf.x);
    p->tf.sepc = a->saved.sepc;
    fp_restore(a->saved_fp);
    a->in_handler = 0;
    return p->tf.x[TF_A0];
    /* LAB traps STUB
    return SYSCALL_ERR;
       LAB traps END */
}
