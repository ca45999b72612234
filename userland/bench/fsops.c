/* fsops [N]: device writes and flushes per file-system operation at
 * /disk (docs/benchmarks.md, "Writes and flushes per operation"). Each
 * operation is done N times (default 200) and the diskstat counters it
 * moved are divided by N; they are exact counts, the same on any host.
 *
 *   create    open(O_CREATE) a new file, write 100 bytes, close
 *   delete    unlink one of those files
 *   mkdir     mkdir a new directory
 *   rmdir     remove one of those directories
 *   write1k   one 1 KiB write, appending to a file (sequential)
 *   write16k  one 16 KiB write, appending to a file (sequential)
 *
 * Output, one line per operation:
 *   BENCH fsops OP N DEVICE_WRITES FLUSHES
 * (totals over the N operations; scripts/fsbench.sh divides). Uses only
 * counters every rvos kernel with a disk has (writes, syncs), so the same
 * program measures an older kernel too. */
#include "bench.h"
#include "rvos/disk.h"

static char buf[16384];

static void snap(struct diskstat *s)
{
    if (disk(DISK_STAT, 0, s) < 0) {
        printf("fsops: DISK_STAT failed\n");
        exit(1);
    }
}

static struct diskstat before;

static void start(void) { snap(&before); }

static void report(const char *op, int n)
{
    struct diskstat now;
    snap(&now);
    printf("BENCH fsops %s %d %lu %lu\n", op, n, now.writes - before.writes, now.syncs - before.syncs);
}

static void fail(const char *what)
{
    printf("fsops: %s failed\n", what);
    exit(1);
}

static void append(const char *path, int n, int size)
{
    int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0)
        fail("open");
    start();
    for (int i = 0; i < n; i++)
        if (write(fd, buf, size) != size)
            fail("write");
    report(size == 1024 ? "write1k" : "write16k", n);
    close(fd);
    if (unlink(path) < 0)
        fail("unlink");
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    char name[32];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (char)i;
    if (mkdir("/disk/ops") < 0)
        fail("mkdir /disk/ops");

    start();
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/disk/ops/f%d", i);
        int fd = open(name, O_CREATE | O_WRONLY);
        if (fd < 0 || write(fd, buf, 100) != 100)
            fail("create");
        close(fd);
    }
    report("create", n);
    start();
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/disk/ops/f%d", i);
        if (unlink(name) < 0)
            fail("delete");
    }
    report("delete", n);

    start();
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/disk/ops/d%d", i);
        if (mkdir(name) < 0)
            fail("mkdir");
    }
    report("mkdir", n);
    start();
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/disk/ops/d%d", i);
        if (unlink(name) < 0)
            fail("rmdir");
    }
    report("rmdir", n);

    append("/disk/ops/seq1k", n, 1024);
    append("/disk/ops/seq16k", n, 16384);
    if (unlink("/disk/ops") < 0)
        fail("unlink /disk/ops");
    printf("fsops: done\n");
    return 0;
}
