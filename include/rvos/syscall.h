/* System call numbers: a7 holds the number, a0..a5 the arguments, and the
 * result comes back in a0 (-1 on any error). Shared by kernel and libc. */
#ifndef RVOS_ABI_SYSCALL_H
#define RVOS_ABI_SYSCALL_H
#define SYS_fork 1
#define SYS_exit 2
#define SYS_wait 3
#define SYS_pipe 4
#define SYS_read 5
#define SYS_kill 6
#define SYS_exec 7
#define SYS_fstat 8
#define SYS_chdir 9
#define SYS_dup 10
#define SYS_getpid 11
#define SYS_sbrk 12 /* char *sys_sbrk(int n, int how): how is SBRK_EAGER or SBRK_LAZY (rvos/mman.h) */
#define SYS_pause 13
#define SYS_uptime 14
#define SYS_open 15
#define SYS_write 16
#define SYS_mknod 17
#define SYS_unlink 18
#define SYS_link 19
#define SYS_mkdir 20
#define SYS_close 21
/* the syscall lab's calls have their classic numbers: a course traces
 * everything with a 31-bit mask (trace 2147483647) and expects trace's
 * own call in it */
#define SYS_trace 22   /* int trace(unsigned long mask): lab syscall */
#define SYS_sysinfo 23 /* int sysinfo(struct sysinfo *): lab syscall */
/* POSIX calls the classic kernel lacks (40 to 63 are all taken, and trace
 * masks stop at 63) */
#define SYS_fsync 24 /* int fsync(int fd): 0 once the file is on the disk, -1 if a change to it failed */
/* rvos extensions */
#define SYS_memstat 40   /* int memstat(struct memstat *) */
#define SYS_mmaudit 41   /* int mmaudit(void): number of problems found */
#define SYS_mmfail 42    /* int mmfail(long n, int fork_only): fail the allocation after n more (test hook) */
#define SYS_poweroff 43  /* int poweroff(int status); it and mmfail: init only, unless booted with testmode */
#define SYS_hartid 44    /* int hartid(void): hart the caller runs on */
#define SYS_uptime_ns 45 /* long uptime_ns(void): rdtime-based, for benchmarks */
#define SYS_cmdline 46   /* int cmdline(char *buf, int n) */
#define SYS_jobctl 47    /* int jobctl(int op, int arg): rvos/jobctl.h */
#define SYS_consmode 48  /* int consmode(int mode): rvos/jobctl.h */
#define SYS_procinfo 49  /* int procinfo(struct procinfo *buf, int max): how many filled */
#define SYS_disk 60      /* int disk(int op, unsigned long block, void *buf): see rvos/disk.h */
#define SYS_mmap 61      /* void *mmap(addr, len, prot, flags, fd, off): rvos/mman.h */
#define SYS_munmap 62    /* int munmap(addr, len) */
/* the labs (labs/<lab>/README.md) */
#define SYS_pgpte 50      /* uint64 pgpte(void *va): lab pgtbl (the current classic lab) */
#define SYS_kpgtbl 51     /* int kpgtbl(void): lab pgtbl (the current classic lab) */
#define SYS_sigalarm 52   /* int sigalarm(int ticks, void (*handler)(void)): lab traps */
#define SYS_sigreturn 53  /* int sigreturn(void): lab traps */
#define SYS_kbacktrace 54 /* int kbacktrace(char *buf, int n, int depth): lab traps */
#define SYS_vmprint 55    /* int vmprint(char *buf, int n): lab pgtbl */
/* the scheduling and file-system labs (labs/sched, labs/locks, labs/fs) */
#define SYS_settickets 56 /* int settickets(int n): returns the old count */
#define SYS_symlink 57    /* int symlink(const char *target, const char *path) */
#define SYS_allocstat 58  /* int allocstat(struct allocstat *) */
/* the system-call benchmark (/bench/microbench) */
#define SYS_sched_yield 63 /* int sched_yield(void): let another runnable process have the hart; 0 */
#define SYS_statistics 59  /* int statistics(void *buf, int n): lock-contention counters (the classic lock lab) */
#endif
