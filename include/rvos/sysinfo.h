/* struct sysinfo: what the sysinfo() system call reports (lab syscall).
 * Shared by the kernel and user programs. */
#ifndef RVOS_ABI_SYSINFO_H
#define RVOS_ABI_SYSINFO_H

struct sysinfo {
    unsigned long freemem; /* bytes of free memory: free frames times the page size */
    unsigned long nproc;   /* process slots in use (any state but unused; zombies count) */
};
#endif
