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
    int sleep_locks;         /* sleep locks this process holds (only it changes this) */
    /* under wait_lock: */
    struct proc *parent;
    /* private to the process (or to its creator before it runs): */
    struct trapframe tf;
    struct context ctx;
    uint64_t fpregs[33]; /* f0..f31, fcsr: authoritative unless this hart's f registers hold them (kernel/fpu.c) */
    int fp_cpu;          /* the hart that last saved or loaded fpregs, or -1 (kernel/fpu.c) */
    uint8_t *kstack;
    struct aspace *as;
    struct file *ofile[NOFILE];
    struct inode *cwd;
    int fs_op_depth; /* fs_op_begin nesting (kernel/fs/rvfs/rvfs_log.c); only the process itself touches it */
    char name[PROC_NAME_MAX];
    uint64_t trace_mask; /* lab syscall: bit n set = report system call n (kernel/syscall.c) */
    int fork_reported;   /* lab syscall: proc_fork printed this fork's trace line already */
    struct alarm alarm;  /* lab traps: the user-level alarm (kernel/alarm.c) */
};

/* The process running on this hart, or 0 in the scheduler. One load
 * through tp, which needs no push_off: a timer interrupt that moves the
 * process to another hart lands either before the load (tp then names the
 * new hart, whose proc is this process) or after it (the value read was
 * already right). Two instructions (tp, then a load from it) could read
 * the old hart's entry after a move; one cannot. */
static inline struct proc *myproc(void)
{
    struct proc *p;
    __asm__ volatile("ld %0, %1(tp)" : "=r"(p) : "i"(__builtin_offsetof(struct cpu, proc)));
    return p;
}

extern struct proc proc_table[NPROC];
/* Slots from this index up have never held a process (proc_alloc takes
 * the lowest free slot), so a scan of the table can stop there: with a
 * handful of processes, the scheduler looks at a handful of slots, not
 * NPROC. It only grows. */
extern int proc_slots_used;
static inline int proc_slots(void) { return __atomic_load_n(&proc_slots_used, __ATOMIC_ACQUIRE); }
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
/* A plain atomic read, inline because every return to user mode asks:
 * killed only ever goes from 0 to 1 (or 2), and every caller checks again
 * later, so there is nothing to lock for. */
static inline int proc_killed(struct proc *p) { return __atomic_load_n(&p->killed, __ATOMIC_ACQUIRE); }
void proc_set_killed(struct proc *p);
void proc_start_first(const char *path, const char **argv, int argc);
void proc_dump(void);
struct procinfo;
int proc_list(struct procinfo *out, int max);
int proc_job_new(void);
void proc_interrupt_job(int job);
/* Whether some process that has not exited is in job (a snapshot). */
int proc_job_alive(int job);
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
