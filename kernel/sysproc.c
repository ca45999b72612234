/* Process and memory system calls. */
#include "backtrace.h"
#include "clock.h"
#include "console.h"
#include "cmdline.h"
#include "exec.h"
#include "fs/fs.h"
#include "proc.h"
#include "string.h"
#include "sysargs.h"
#include "../drivers/finisher.h"
#include "../include/rvos/jobctl.h"
#include "../include/rvos/procinfo.h"
#include "../include/rvos/allocstat.h"
#include "../include/rvos/mman.h"
#include "../mm/aspace.h"
#include "../mm/audit.h"
#include "../mm/mmstat.h"
#include "../mm/page.h"
#include "../mm/vm.h"

uint64_t sys_fork(void) { return (uint64_t)(int64_t)proc_fork(); }
uint64_t sys_exit(void) { proc_exit(arg_int(0)); }
/* wait copies the status out under a spin lock: a file-backed page there
 * is filled first (vm_prefault). */
uint64_t sys_wait(void)
{
    if (arg_raw(0))
        vm_prefault(myproc()->as, arg_raw(0), sizeof(int));
    return (uint64_t)(int64_t)proc_wait(arg_raw(0));
}
uint64_t sys_kill(void) { return (uint64_t)(int64_t)proc_kill(arg_int(0)); }
uint64_t sys_getpid(void) { return (uint64_t)myproc()->pid; }
/* sbrk(n, how): how is SBRK_LAZY for a reservation only (sbrklazy),
 * anything else for what the allocation policy does. */
uint64_t sys_sbrk(void) { return (uint64_t)aspace_sbrk(myproc()->as, arg_long(0), arg_int(1) == SBRK_LAZY); }
uint64_t sys_munmap(void) { return (uint64_t)(int64_t)aspace_munmap(myproc()->as, arg_raw(0), arg_raw(1)); }
uint64_t sys_pause(void)
{
    /* LAB traps BEGIN: print this call's kernel backtrace, as the classic lab's sleep does (bttest) */
    backtrace();
    /* LAB traps END */
    int n = arg_int(0);
    return (uint64_t)(int64_t)clock_pause(n < 0 ? 0 : (uint64_t)n);
}
uint64_t sys_uptime(void) { return clock_ticks(); }
uint64_t sys_uptime_ns(void) { return clock_ns(); }
uint64_t sys_hartid(void) { return mycpu()->hartid; }
/* sched_yield(): back to the scheduler, runnable; the caller runs again
 * when the policy picks it (at once, if nothing else can run). */
uint64_t sys_sched_yield(void)
{
    yield();
    return 0;
}

/* exec(path, argv): the argument strings are copied, packed, into one
 * frame borrowed for the call, so all of them together may take up to
 * 4 KiB (like ARG_MAX), at most MAXARG of them. */
uint64_t sys_exec(void)
{
    char path[MAXPATH];
    const char *argv[MAXARG];
    struct proc *p = myproc();
    uint64_t uargv = arg_raw(1);
    if (copyinstr(p->as, path, arg_raw(0), sizeof path) < 0)
        return SYSCALL_ERR;
    struct page *pg = page_alloc(0);
    if (!pg)
        return SYSCALL_ERR;
    pg->flags |= PG_KERNEL;
    char *buf = page_va(pg);
    uint64_t used = 0;
    int argc = 0, r = -1;
    for (;; argc++) {
        uint64_t ptr;
        if (copyin(p->as, &ptr, uargv + (uint64_t)argc * sizeof ptr, sizeof ptr) < 0)
            goto out;
        if (!ptr)
            break;
        /* Only a real argument past the limit is an error: the NULL that
         * ends exactly MAXARG of them is read above. */
        if (argc == MAXARG)
            goto out;
        int len = copyinstr(p->as, buf + used, ptr, PAGE_SIZE - used);
        if (len < 0)
            goto out;
        argv[argc] = buf + used;
        used += (uint64_t)len + 1;
    }
    r = kexec(path, argv, argc);
out:
    page_put(pg);
    return (uint64_t)(int64_t)r;
}

uint64_t sys_memstat(void)
{
    struct memstat ms;
    mmstat_fill(&ms, myproc()->as);
    return copyout(myproc()->as, arg_raw(0), &ms, sizeof ms) < 0 ? SYSCALL_ERR : 0;
}

uint64_t sys_allocstat(void)
{
    struct allocstat st;
    page_allocstat(&st);
    return copyout(myproc()->as, arg_raw(0), &st, sizeof st) < 0 ? SYSCALL_ERR : 0;
}

uint64_t sys_mmaudit(void) { return (uint64_t)mm_audit(); }

/* mmfail and poweroff act on the whole machine, so an ordinary process
 * may not use them: only init (the first process, always pid 1), or any
 * process when the kernel was booted with the word "testmode", as the
 * in-guest tests are (their helper processes inject failures too). */
static int may_control_machine(void) { return myproc()->pid == 1 || cmdline_get("testmode") != 0; }

/* mmfail(n, fork_only): make the allocation after n more fail, once.
 * fork_only = 0: the next allocations anywhere; 1: only those of the
 * caller's next fork (so the test's own page faults are not hit). */
uint64_t sys_mmfail(void)
{
    if (!may_control_machine())
        return SYSCALL_ERR;
    if (arg_int(1))
        myproc()->fork_fail_after = arg_long(0);
    else
        page_fail_after(arg_long(0));
    return 0;
}

uint64_t sys_poweroff(void)
{
    if (!may_control_machine())
        return SYSCALL_ERR;
    machine_poweroff(arg_int(0));
}

uint64_t sys_cmdline(void)
{
    const char *s = cmdline_raw();
    int n = arg_int(1);
    uint64_t len = strlen(s) + 1;
    if (n <= 0)
        return SYSCALL_ERR;
    if (len > (uint64_t)n)
        len = (uint64_t)n;
    return copyout(myproc()->as, arg_raw(0), s, len) < 0 ? SYSCALL_ERR : 0;
}

uint64_t sys_jobctl(void)
{
    struct proc *p = myproc();
    int arg = arg_int(1);
    switch (arg_int(0)) {
    case JOB_NEW:
        return (uint64_t)proc_job_new();
    case JOB_JOIN:
        if (arg <= 0 || !console_may_join(arg))
            return SYSCALL_ERR;
        __atomic_store_n(&p->job, arg, __ATOMIC_RELAXED);
        return 0;
    case JOB_FOREGROUND:
        return (uint64_t)(int64_t)console_set_foreground(arg);
    case JOB_SELF:
        return (uint64_t)__atomic_load_n(&p->job, __ATOMIC_RELAXED);
    }
    return SYSCALL_ERR;
}

uint64_t sys_consmode(void) { return (uint64_t)(int64_t)console_set_mode(arg_int(0)); }

/* procinfo(buf, max): the table is gathered into a borrowed frame (it is
 * too big for the kernel stack), cleared in full, then copied out. */
uint64_t sys_procinfo(void)
{
    int max = arg_int(1);
    if (max < 0)
        return SYSCALL_ERR;
    if (max > NPROC)
        max = NPROC;
    _Static_assert(NPROC * sizeof(struct procinfo) <= PAGE_SIZE, "procinfo table fits a frame");
    struct page *pg = page_alloc(0);
    if (!pg)
        return SYSCALL_ERR;
    pg->flags |= PG_KERNEL;
    struct procinfo *buf = page_va(pg);
    memset(buf, 0, PAGE_SIZE);
    int n = proc_list(buf, max);
    int r = copyout(myproc()->as, arg_raw(0), buf, (uint64_t)n * sizeof *buf) < 0 ? -1 : n;
    page_put(pg);
    return (uint64_t)(int64_t)r;
}
