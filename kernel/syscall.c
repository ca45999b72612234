/* System-call dispatch: number in a7, arguments in a0..a5, result in a0. */
#include "syscall.h"
#include "sysargs.h"
#include "printk.h"
#include "proc.h"
#include "../include/rvos/syscall.h"

uint64_t sys_fork(void), sys_exit(void), sys_wait(void), sys_pipe(void), sys_read(void), sys_kill(void), sys_exec(void),
    sys_fstat(void), sys_dup(void), sys_getpid(void), sys_sbrk(void), sys_pause(void), sys_uptime(void), sys_open(void),
    sys_write(void), sys_close(void), sys_memstat(void), sys_mmaudit(void), sys_mmfail(void), sys_poweroff(void),
    sys_hartid(void), sys_uptime_ns(void), sys_cmdline(void), sys_chdir(void), sys_mknod(void), sys_unlink(void),
    sys_link(void), sys_mkdir(void), sys_jobctl(void), sys_consmode(void), sys_procinfo(void), sys_disk(void),
    sys_trace(void), sys_sysinfo(void), sys_sigalarm(void), sys_sigreturn(void), sys_kbacktrace(void),
    sys_vmprint(void), sys_pgpte(void), sys_kpgtbl(void), sys_settickets(void), sys_symlink(void), sys_allocstat(void),
    sys_statistics(void), sys_mmap(void), sys_munmap(void), sys_sched_yield(void), sys_fsync(void);

static uint64_t (*const table[])(void) = {
    [SYS_fork] = sys_fork,
    [SYS_exit] = sys_exit,
    [SYS_wait] = sys_wait,
    [SYS_pipe] = sys_pipe,
    [SYS_read] = sys_read,
    [SYS_kill] = sys_kill,
    [SYS_exec] = sys_exec,
    [SYS_fstat] = sys_fstat,
    [SYS_dup] = sys_dup,
    [SYS_getpid] = sys_getpid,
    [SYS_sbrk] = sys_sbrk,
    [SYS_pause] = sys_pause,
    [SYS_uptime] = sys_uptime,
    [SYS_open] = sys_open,
    [SYS_write] = sys_write,
    [SYS_close] = sys_close,
    [SYS_memstat] = sys_memstat,
    [SYS_mmaudit] = sys_mmaudit,
    [SYS_mmfail] = sys_mmfail,
    [SYS_poweroff] = sys_poweroff,
    [SYS_hartid] = sys_hartid,
    [SYS_uptime_ns] = sys_uptime_ns,
    [SYS_cmdline] = sys_cmdline,
    [SYS_chdir] = sys_chdir,
    [SYS_mknod] = sys_mknod,
    [SYS_unlink] = sys_unlink,
    [SYS_link] = sys_link,
    [SYS_mkdir] = sys_mkdir,
    [SYS_jobctl] = sys_jobctl,
    [SYS_consmode] = sys_consmode,
    [SYS_procinfo] = sys_procinfo,
    [SYS_disk] = sys_disk,
    [SYS_trace] = sys_trace,
    [SYS_sysinfo] = sys_sysinfo,
    [SYS_sigalarm] = sys_sigalarm,
    [SYS_sigreturn] = sys_sigreturn,
    [SYS_kbacktrace] = sys_kbacktrace,
    [SYS_vmprint] = sys_vmprint,
    [SYS_pgpte] = sys_pgpte,
    [SYS_kpgtbl] = sys_kpgtbl,
    [SYS_settickets] = sys_settickets,
    [SYS_symlink] = sys_symlink,
    [SYS_allocstat] = sys_allocstat,
    [SYS_mmap] = sys_mmap,
    [SYS_munmap] = sys_munmap,
    [SYS_sched_yield] = sys_sched_yield,
    [SYS_statistics] = sys_statistics,
    [SYS_fsync] = sys_fsync,
};

/* The names trace reports (lab syscall), by number. */
static const char *const names[] = {
    [SYS_fork] = "fork",
    [SYS_exit] = "exit",
    [SYS_wait] = "wait",
    [SYS_pipe] = "pipe",
    [SYS_read] = "read",
    [SYS_kill] = "kill",
    [SYS_exec] = "exec",
    [SYS_fstat] = "fstat",
    [SYS_chdir] = "chdir",
    [SYS_dup] = "dup",
    [SYS_getpid] = "getpid",
    [SYS_sbrk] = "sbrk",
    [SYS_pause] = "pause",
    [SYS_uptime] = "uptime",
    [SYS_open] = "open",
    [SYS_write] = "write",
    [SYS_mknod] = "mknod",
    [SYS_unlink] = "unlink",
    [SYS_link] = "link",
    [SYS_mkdir] = "mkdir",
    [SYS_close] = "close",
    [SYS_memstat] = "memstat",
    [SYS_mmaudit] = "mmaudit",
    [SYS_mmfail] = "mmfail",
    [SYS_poweroff] = "poweroff",
    [SYS_hartid] = "hartid",
    [SYS_uptime_ns] = "uptime_ns",
    [SYS_cmdline] = "cmdline",
    [SYS_trace] = "trace",
    [SYS_sysinfo] = "sysinfo",
    [SYS_sigalarm] = "sigalarm",
    [SYS_sigreturn] = "sigreturn",
    [SYS_kbacktrace] = "kbacktrace",
    [SYS_vmprint] = "vmprint",
    [SYS_pgpte] = "pgpte",
    [SYS_kpgtbl] = "kpgtbl",
    [SYS_jobctl] = "jobctl",
    [SYS_consmode] = "consmode",
    [SYS_procinfo] = "procinfo",
    [SYS_settickets] = "settickets",
    [SYS_symlink] = "symlink",
    [SYS_allocstat] = "allocstat",
    [SYS_mmap] = "mmap",
    [SYS_munmap] = "munmap",
    [SYS_statistics] = "statistics",
    [SYS_disk] = "disk",
    [SYS_sched_yield] = "sched_yield",
    [SYS_fsync] = "fsync",
};
_Static_assert(sizeof names / sizeof names[0] <= 64, "trace masks have 64 bits");

const char *syscall_name(uint64_t num)
{
    return num < sizeof names / sizeof names[0] && names[num] ? names[num] : "unknown";
}

/* trace(mask): from now on, report every system call whose number's bit
 * is set in mask (bit n = call n), in this process and in the children it
 * forks later; exec keeps it. Returns 0. */
uint64_t sys_trace(void)
{
    /* LAB syscall BEGIN: remember the mask in the calling process */
    myproc()->trace_mask = arg_raw(0);
    return 0;
    /* LAB syscall STUB
    return SYSCALL_ERR;
       LAB syscall END */
}

void syscall_dispatch(struct trapframe *tf)
{
    uint64_t num = tf->x[TF_A7];
    if (num < sizeof table / sizeof table[0] && table[num]) {
        tf->x[TF_A0] = table[num]();
        /* LAB syscall BEGIN: report the call if the process traces its number (a fork reported itself) */
        struct proc *p = myproc();
        if (num < 64 && (p->trace_mask >> num) & 1) {
            if (num == SYS_fork && p->fork_reported)
                p->fork_reported = 0; /* set only for a traced fork: untraced calls store nothing */
            else
                printk("%d: syscall %s -> %ld\n", p->pid, syscall_name(num), (int64_t)tf->x[TF_A0]);
        }
        /* LAB syscall END */
    } else {
        struct proc *p = myproc();
        /* A program can make these in a loop: at most a few a second. */
        printk_limited("pid %d (%s): unknown system call %lu\n", p->pid, p->name, num);
        tf->x[TF_A0] = (uint64_t)-1;
    }
}
