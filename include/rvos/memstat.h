/* struct memstat: what the memstat() system call reports. Shared by the
 * kernel and user programs. */
#ifndef RVOS_ABI_MEMSTAT_H
#define RVOS_ABI_MEMSTAT_H

struct memstat {
    unsigned long frames_total; /* frames the allocator manages */
    unsigned long frames_free;
    unsigned long forks;
    unsigned long cow_faults;
    unsigned long pages_copied; /* COW faults that copied */
    unsigned long pages_reused; /* COW faults that reused the frame */
    unsigned long pages_shared; /* user frames mapped more than once now */
    unsigned long oom_kills;
    char fork_policy[8];            /* "cow" or "copy" */
    unsigned long frames_allocated; /* frame allocations since boot */
};
#endif
