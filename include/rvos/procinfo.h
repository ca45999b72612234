/* struct procinfo: one process as procinfo() reports it (for ps). Shared
 * by the kernel and user programs. */
#ifndef RVOS_ABI_PROCINFO_H
#define RVOS_ABI_PROCINFO_H

struct procinfo {
    int pid;
    int ppid;            /* 0 for init */
    int hart;            /* the hart running it, -1 unless running */
    int job;             /* see rvos/jobctl.h */
    unsigned long pages; /* user pages mapped */
    char state[12];      /* "embryo", "sleep", "runnable", "run" or "zombie" */
    char name[16];
};

#endif
