/* fsbench [MIB]: the disk file system at /disk (docs/benchmarks.md):
 *
 *   write   a MIB-mebibyte file (default 16), sequentially, in 8 KiB writes
 *           (each cut into log transactions of at most 48 KiB)
 *   read    the same file back, sequentially, in 8 KiB reads
 *   files   1,000 small files (100 bytes each) created, then all removed
 *
 * Output, one line per phase:
 *   BENCH fs PHASE BLOCKS NS HITS MISSES DEVICE_READS DEVICE_WRITES COMMITS LOGGED
 * BLOCKS is the file's size in 1 KiB blocks (files: 1000), NS the
 * uptime_ns difference (instructions under -icount shift=0), the rest the
 * diskstat counters moved by the phase. scripts/fsbench.sh divides. */
#include "bench.h"
#include "rvos/disk.h"

static char buf[8192];
static struct diskstat st;

static void snap(struct diskstat *s)
{
    if (disk(DISK_STAT, 0, s) < 0) {
        printf("fsbench: DISK_STAT failed\n");
        exit(1);
    }
}

static void report(const char *kind, unsigned long blocks, long ns, const struct diskstat *a)
{
    snap(&st);
    printf("BENCH fs %s %lu %ld %lu %lu %lu %lu %lu %lu\n", kind, blocks, ns, st.hits - a->hits, st.misses - a->misses,
           st.reads - a->reads, st.writes - a->writes, st.fs_commits - a->fs_commits, st.fs_logged - a->fs_logged);
}

static void fail(const char *what)
{
    printf("fsbench: %s failed\n", what);
    exit(1);
}

int main(int argc, char **argv)
{
    long mib = argc > 1 ? atoi(argv[1]) : 16, n = mib << 20;
    struct diskstat a;
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (char)i;

    snap(&a);
    long t0 = uptime_ns();
    int fd = open("/disk/bench", O_CREATE | O_WRONLY | O_TRUNC);
    for (long done = 0; fd >= 0 && done < n; done += sizeof buf)
        if (write(fd, buf, sizeof buf) != sizeof buf)
            fail("write");
    close(fd);
    report("write", (unsigned long)(n / 1024), uptime_ns() - t0, &a);

    snap(&a);
    t0 = uptime_ns();
    fd = open("/disk/bench", O_RDONLY);
    long got = 0;
    int r;
    while (fd >= 0 && (r = read(fd, buf, sizeof buf)) > 0)
        got += r;
    close(fd);
    if (got != n)
        fail("read");
    report("read", (unsigned long)(n / 1024), uptime_ns() - t0, &a);
    if (unlink("/disk/bench") < 0)
        fail("unlink");

    snap(&a);
    t0 = uptime_ns();
    char name[32];
    if (mkdir("/disk/many") < 0)
        fail("mkdir");
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "/disk/many/f%d", i);
        fd = open(name, O_CREATE | O_WRONLY);
        if (fd < 0 || write(fd, buf, 100) != 100)
            fail("create");
        close(fd);
    }
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "/disk/many/f%d", i);
        if (unlink(name) < 0)
            fail("unlink");
    }
    if (unlink("/disk/many") < 0)
        fail("rmdir");
    report("files", 1000, uptime_ns() - t0, &a);
    printf("fsbench: done\n");
    return 0;
}
