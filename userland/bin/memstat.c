/* memstat [-a]: prints the memory manager's counters; with -a it also
 * runs the kernel's frame audit and prints what it found. */
#include "user.h"

#define FRAME_KIB 4 /* frames are 4 KiB pages */

static void usage(void)
{
    fprintf(2, "usage: memstat [-a]\n");
    exit(1);
}

int main(int argc, char **argv)
{
    int audit = 0;
    if (argc > 2)
        usage();
    if (argc == 2) {
        if (strcmp(argv[1], "-a") != 0)
            usage();
        audit = 1;
    }
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    if (memstat(&ms) < 0) {
        fprintf(2, "memstat: the memstat system call failed\n");
        exit(1);
    }
    /* the kernel fills the policy name; make sure it is terminated */
    ms.fork_policy[sizeof ms.fork_policy - 1] = 0;
    printf("frames total:  %lu (%lu KiB)\n", ms.frames_total, ms.frames_total * FRAME_KIB);
    printf("frames free:   %lu (%lu KiB)\n", ms.frames_free, ms.frames_free * FRAME_KIB);
    printf("forks:         %lu\n", ms.forks);
    printf("cow faults:    %lu\n", ms.cow_faults);
    printf("pages copied:  %lu\n", ms.pages_copied);
    printf("pages reused:  %lu\n", ms.pages_reused);
    printf("pages shared:  %lu\n", ms.pages_shared);
    printf("tables shared: %lu\n", ms.tables_shared);
    printf("tables copied: %lu\n", ms.tables_copied);
    printf("oom kills:     %lu\n", ms.oom_kills);
    printf("fork policy:   %s\n", ms.fork_policy);
    ms.alloc_policy[sizeof ms.alloc_policy - 1] = 0;
    printf("alloc policy:  %s\n", ms.alloc_policy);
    printf("pages reserved: %lu (resident %lu)\n", ms.pages_reserved, ms.pages_resident);
    printf("lazy faults:   %lu\n", ms.lazy_faults);
    printf("file pages read: %lu\n", ms.file_pages_read);
    printf("pages written back: %lu\n", ms.pages_written_back);
    ms.evict_policy[sizeof ms.evict_policy - 1] = 0;
    printf("evict policy:  %s (%s)\n", ms.evict_policy, ms.evict_active ? "active" : "inactive: no swap, no mm.frames");
    if (ms.frames_cap)
        printf("frames cap:    %lu (user frames now %lu)\n", ms.frames_cap, ms.frames_listed);
    printf("page faults:   %lu\n", ms.page_faults);
    printf("evictions:     %lu (swapped out %lu, dropped %lu; %lu scans)\n", ms.evictions, ms.swap_outs,
           ms.pages_dropped, ms.evict_scans);
    printf("swap ins:      %lu\n", ms.swap_ins);
    printf("swap slots:    %lu used of %lu\n", ms.swap_slots_used, ms.swap_slots);
    printf("superpages:    %s (%lu made, %lu split)\n", ms.superpages ? "on" : "off", ms.superpages_made,
           ms.superpage_splits);
    if (audit) {
        int problems = mmaudit();
        if (problems == 0)
            printf("mmaudit:       ok, no problems\n");
        else
            printf("mmaudit:       %d problem%s (listed on the kernel console)\n", problems, problems == 1 ? "" : "s");
        return problems != 0;
    }
    return 0;
}
