/* System-call stubs: number in a7, ecall, result in a0. */
#include "rvos/syscall.h"

#define STUB(name)           \
    .globl name;             \
name:                        \
    li a7, SYS_##name;       \
    ecall;                   \
    ret

    .text
STUB(fork)
STUB(exit)
STUB(wait)
STUB(pipe)
STUB(read)
STUB(kill)
STUB(exec)
STUB(fstat)
STUB(chdir)
STUB(dup)
STUB(getpid)
/* sbrk and sbrklazy (userland/lib/ulib.c) call this with their "how" */
    .globl sys_sbrk
sys_sbrk:
    li a7, SYS_sbrk
    ecall
    ret
STUB(mmap)
STUB(munmap)
STUB(pause)
STUB(uptime)
STUB(open)
STUB(write)
STUB(mknod)
STUB(unlink)
STUB(link)
STUB(mkdir)
STUB(close)
STUB(memstat)
STUB(mmaudit)
STUB(mmfail)
STUB(poweroff)
STUB(hartid)
STUB(uptime_ns)
STUB(cmdline)
STUB(disk)
STUB(trace)
STUB(sysinfo)
STUB(sigalarm)
STUB(sigreturn)
STUB(kbacktrace)
STUB(vmprint)
STUB(pgpte)
STUB(kpgtbl)
STUB(statistics)
STUB(settickets)
STUB(symlink)
STUB(allocstat)

/* The classic name of pause(). */
    .globl sleep
sleep:
    li a7, SYS_pause
    ecall
    ret
STUB(jobctl)
STUB(consmode)
STUB(procinfo)
STUB(sched_yield)
STUB(fsync)
