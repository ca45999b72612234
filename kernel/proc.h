#ifndef RVOS_KERNEL_PROC_H
#define RVOS_KERNEL_PROC_H
#include <stdint.h>
#include "cpu.h"
#include "alarm.h"
#include "spinlock.h"
#include "stride.h"
#include "../arch/riscv/trap.h"
#include "../include/rvos/param.h" /* NPROC, NOFILE */

#define PROC_NAME_MAX 16

enum proc_state { PROC_UNUSED, PROC_EMBRYO, PROC_SLEEPING, PROC_RUNNABLE, PROC_RUNNING, PROC_ZOMBIE };

struct aspace;
struct file;
struct inode;

struct proc {
    struct spinlock lock;
    /* under lock: */
    enum proc_state state;
    void *chan;           /* sleeping on this */
    struct stride stride; /* tickets and pass, for sched=stride (kernel/sched_stride.c) */
    /* atomic, only ever set (proc_kill, proc_set_killed, proc_killed): */
    int killed;
    int xstatus;
    int pid;
    int job;                 /* atomic; inherited at fork, see include/rvos/jobctl.h */
    int64_t fork_fail_after; /* test hook: see sys_mmfail */
    /* under wait_lock: */
    struct proc *parent;
    /* private to the process (or to its creator before it runs): */
    struct trapframe tf;
    struct context ctx;
    uint64_t fpregs[33];
    uint8_t *kstack;
    struct aspace *as;
    struct file *ofile[NOFILE];
    struct inode *cwd;
    int fs_op_depth; /* fs_op_begin nesting (kernel/fs/rvfs/rvfs_log.c); only the process itself touches it */
    char name[PROC_NAME_MAX];
    uint64_t trace_mask; /* lab syscall: bit n set = report system call n (kernel/syscall.c) */
    struct alarm alarm;  /* lab traps: the user-level alarm (kernel/alarm.c) */
};

static inline struct proc *myproc(void)
{
    push_off();
    struct proc *p = mycpu()->proc;
    pop_off();
    return p;
}

extern struct proc proc_table[NPROC];
void proc_init(void);
void scheduler(void) __attribute__((noreturn));
void yield(void);
void sched(void);
void sleep_on(void *chan, struct spinlock *lk);
void wakeup(void *chan);
int proc_fork(void);
__attribute__((noreturn)) void proc_exit(int status);
int proc_wait(uint64_t status_addr);
int proc_kill(int pid);
int proc_killed(struct proc *p);
void proc_set_killed(struct proc *p);
void proc_start_first(const char *path, const char **argv, int argc);
void proc_dump(void);
struct procinfo;
int proc_list(struct procinfo *out, int max);
int proc_job_new(void);
void proc_interrupt_job(int job);
int proc_exit_status_killed(struct proc *p);
void proc_tick(void); /* kernel/clock.c, every tick */
__attribute__((noreturn)) void user_trap_return(void);
struct aspace *proc_swap_aspace(struct proc *p, struct aspace *as);
int proc_map_usyscall(struct proc *p, struct aspace *as);

/* Debug kernels (built with RVOS_DEBUG, see docs/reliability.md) yield at
 * the points where a timer interrupt would open a window other code must
 * cope with, so that tests hit those windows every time, not once in a
 * thousand boots. A no-op in the normal kernel. */
#ifdef RVOS_DEBUG
void debug_preempt(void);
#else
static inline void debug_preempt(void) {}
#endif
#endif
