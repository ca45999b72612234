/* diskbench [MIB]: sequential throughput of the disk through the buffer
 * cache (the disk system call, rvos/disk.h), MIB mebibytes (default 16):
 *
 *   write  every block of the range once, in order (DISK_WRITE: the cache
 *          takes the buffer without reading it, then writes it through),
 *          then one DISK_SYNC
 *   read   the same range again, in order: far more blocks than the cache
 *          holds, so every one is a miss and a device read
 *   hit    as many bytes re-read from a set of blocks that fits the cache:
 *          every one a hit, no device involved
 *
 * It uses raw blocks, so it must run as init (or under testmode). Output:
 *   BENCH disk KIND BLOCKS NS DEVICE_READS DEVICE_WRITES IRQS
 * with NS the uptime_ns difference (see bench.h; under -icount, also read
 * docs/benchmarks.md on what the idle time while the device works does),
 * and the diskstat counters moved by that phase. scripts/diskbench.sh
 * divides. */
#include "bench.h"

static unsigned char buf[DISK_BSIZE];
static struct diskstat st;

static void snap(void)
{
    if (disk(DISK_STAT, 0, &st) < 0) {
        printf("diskbench: DISK_STAT failed\n");
        exit(1);
    }
}

static void report(const char *kind, unsigned long blocks, long ns, const struct diskstat *a)
{
    snap();
    printf("BENCH disk %s %lu %ld %lu %lu %lu\n", kind, blocks, ns, st.reads - a->reads, st.writes - a->writes,
           st.irqs - a->irqs);
}

int main(int argc, char **argv)
{
    int mib = argc > 1 ? atoi(argv[1]) : 16;
    snap();
    unsigned long blocks = (unsigned long)mib * 1024 * 1024 / DISK_BSIZE;
    if (!st.present || blocks == 0 || blocks > st.blocks) {
        printf("diskbench: need a disk of at least %d MiB (found %lu blocks)\n", mib, st.present ? st.blocks : 0);
        exit(1);
    }
    struct diskstat a;

    a = st;
    long t0 = uptime_ns();
    for (unsigned long b = 0; b < blocks; b++) {
        buf[0] = (unsigned char)b;
        buf[1] = (unsigned char)(b >> 8);
        if (disk(DISK_WRITE, b, buf) < 0) {
            printf("diskbench: write of block %lu failed\n", b);
            exit(1);
        }
    }
    if (disk(DISK_SYNC, 0, 0) < 0) {
        printf("diskbench: sync failed\n");
        exit(1);
    }
    report("write", blocks, uptime_ns() - t0, &a);

    a = st;
    t0 = uptime_ns();
    for (unsigned long b = 0; b < blocks; b++)
        if (disk(DISK_READ, b, buf) < 0 || buf[0] != (unsigned char)b || buf[1] != (unsigned char)(b >> 8)) {
            printf("diskbench: block %lu did not read back\n", b);
            exit(1);
        }
    report("read", blocks, uptime_ns() - t0, &a);

    unsigned long hot = st.nbuf / 2; /* well inside the cache */
    for (unsigned long b = 0; b < hot; b++)
        disk(DISK_READ, b, buf);
    snap();
    a = st;
    t0 = uptime_ns();
    for (unsigned long i = 0; i < blocks; i++)
        if (disk(DISK_READ, i % hot, buf) < 0) {
            printf("diskbench: cached read failed\n");
            exit(1);
        }
    report("hit", blocks, uptime_ns() - t0, &a);
    printf("diskbench: done (%lu hits, %lu misses in all)\n", st.hits, st.misses);
    return 0;
}
