/* diskstat: prints what the kernel knows about the disk and the buffer
 * cache's counters (the disk system call, include/rvos/disk.h). */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(2, "usage: diskstat\n");
        exit(1);
    }
    struct diskstat st;
    memset(&st, 0, sizeof st);
    if (disk(DISK_STAT, 0, &st) < 0) {
        fprintf(2, "diskstat: the disk system call failed\n");
        exit(1);
    }
    if (!st.present) {
        printf("disk:          none\n");
    } else {
        printf("disk:          virtio-blk at %p, irq %lu%s%s\n", (void *)st.base, st.irq,
               st.readonly ? ", read-only" : "", st.write_cache ? ", write cache (flushed by sync)" : "");
        printf("capacity:      %lu blocks of %lu bytes (%lu KiB)\n", st.blocks, st.block_size,
               st.blocks * st.block_size / 1024);
        printf("queue:         %lu descriptors, at most %lu requests in flight so far\n", st.queue_len,
               st.max_inflight);
    }
    printf("buffers:       %lu\n", st.nbuf);
    printf("cache hits:    %lu\n", st.hits);
    printf("cache misses:  %lu\n", st.misses);
    printf("block reads:   %lu\n", st.reads);
    printf("block writes:  %lu\n", st.writes);
    printf("syncs:         %lu\n", st.syncs);
    printf("errors:        %lu\n", st.errors);
    printf("/disk:         %lu blocks free; %lu transactions committed, %lu blocks logged\n", st.fs_free, st.fs_commits,
           st.fs_logged);
    printf("requests:      %lu (%lu disk interrupts)\n", st.requests, st.irqs);
    exit(0);
}
