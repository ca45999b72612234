/* The classic xv6 user API (names, signatures and values), plus a few
 * rvos extensions at the end. */
#ifndef RVOS_USER_H
#define RVOS_USER_H
#include "stat.h"
#include "fcntl.h"

#include "kernel/types.h"

/* system calls */
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int *);
int pipe(int *);
int write(int, const void *, int);
int read(int, void *, int);
int close(int);
int kill(int);
int exec(const char *, char **);
int open(const char *, int);
int mknod(const char *, short, short);
int unlink(const char *);
int fstat(int fd, struct stat *);
int link(const char *, const char *);
int mkdir(const char *);
int chdir(const char *);
int dup(int);
int getpid(void);
char *sbrk(int);                /* what the allocation policy does: map now (eager) or reserve (lazy) */
char *sbrklazy(int);            /* reserve address space only, whatever the policy */
char *sys_sbrk(int n, int how); /* the system call: how is SBRK_EAGER or SBRK_LAZY */
#define SBRK_ERROR ((char *)-1) /* what a failing sbrk returns */
typedef unsigned long size_t;
typedef long off_t;
#include "rvos/mman.h"
/* The classic mmap lab's mmaptest.c defines MAP_FAILED itself, spelled
 * ((char *) -1): the same spelling here makes that an identical
 * redefinition, which C11 allows (6.10.3p2), instead of a warning. */
#undef MAP_FAILED
/* clang-format off */
#define MAP_FAILED ((char *) -1)
/* clang-format on */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off); /* MAP_FAILED on error */
int munmap(void *addr, size_t len);
int pause(int);
int sleep(int);
int uptime(void);

/* ulib */
int stat(const char *, struct stat *);
char *strcpy(char *, const char *);
void *memmove(void *, const void *, int);
char *strchr(const char *, char c);
int strcmp(const char *, const char *);
void fprintf(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void printf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *gets(char *, int max);
uint strlen(const char *);
void *memset(void *, int, uint);
void *malloc(uint);
void free(void *);
int atoi(const char *);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);

/* rvos extensions */
#include "rvos/memstat.h"
int memstat(struct memstat *);
int mmaudit(void);
int mmfail(long n, int fork_only);
int poweroff(int status); /* returns -1 unless init or booted with testmode */
/* The interactive init's control pipe: its write end is this descriptor in
 * every process the shell starts; the poweroff command writes a byte to it
 * and init powers the machine off (userland/bin/init.c). */
#define INIT_CTL_FD 4
int hartid(void);
long uptime_ns(void);
int cmdline(char *buf, int n);
#include "rvos/jobctl.h"
#include "rvos/procinfo.h"
int jobctl(int op, int arg);
int consmode(int mode);
int procinfo(struct procinfo *buf, int max);
int sched_yield(void); /* let another runnable process have the hart; 0 */
int fsync(int fd);     /* 0 once fd's file is on the disk; -1 if a change to it failed (once per open) */
#include "rvos/disk.h"
int disk(int op, unsigned long block, void *buf); /* DISK_READ/WRITE: init or testmode only */
/* the labs (labs/<lab>/README.md) */
struct sysinfo;                                 /* include "rvos/sysinfo.h" to use it */
int trace(unsigned long mask);                  /* lab syscall */
int sysinfo(struct sysinfo *);                  /* lab syscall */
int sigalarm(int ticks, void (*handler)(void)); /* lab traps */
int sigreturn(void);                            /* lab traps */
int kbacktrace(char *buf, int n, int depth);    /* lab traps */
int vmprint(char *buf, int n);                  /* lab pgtbl */
uint64 pgpte(void *va);                         /* lab pgtbl: the PTE mapping va, or 0 (kernel/riscv.h) */
int kpgtbl(void);                               /* lab pgtbl: vmprint of the caller, on the console */
int ugetpid(void);                              /* lab pgtbl: getpid without a system call (rvos/usyscall.h) */
int settickets(int n);                          /* 1..1000; returns the old count (see labs/sched) */
int symlink(const char *target, const char *path);
#include "rvos/allocstat.h"
int allocstat(struct allocstat *);
int statistics(void *buf, int n); /* lock-contention counters, as text (kernel/lockstat.c) */
int strncmp(const char *, const char *, uint);
int snprintf(char *, int, const char *, ...) __attribute__((format(printf, 3, 4)));
#endif
