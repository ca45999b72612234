/* The disk file system mounted at /disk, through the same system calls as
 * the RAM file system: files, directories, names, hard links, unlink while
 * open, a big file, a full disk, concurrent writers, data that survives a
 * power-off, and the crash workload (crash_run / crash_check) driven by
 * scripts/crashtest.sh. Each ctest entry boots on a fresh scratch image
 * made by rvfs mkfs and runs rvfs fsck on it afterwards (tests.cmake). */
#include "testlib.h"
#include "rvos/disk.h"
#include "rvos/fs.h"
#include "rvos/param.h"

static struct stat st;
static char buf[8192];

static int stat_ok(const char *path, int type) { return stat(path, &st) == 0 && st.type == type; }

static unsigned int ino_of(const char *path) { return stat(path, &st) == 0 ? st.ino : 0; }

static unsigned long free_blocks(void)
{
    struct diskstat ds;
    return disk(DISK_STAT, 0, &ds) == 0 ? ds.fs_free : 0;
}

/* Byte i of file number f's pattern. */
static char pat(int f, long i) { return (char)('a' + (f * 7 + i * 13 + i / 1024) % 26); }

static int write_pattern(const char *path, int f, long n, int chunk)
{
    int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0)
        return -1;
    long done = 0;
    while (done < n) {
        int k = n - done < chunk ? (int)(n - done) : chunk;
        for (int i = 0; i < k; i++)
            buf[i] = pat(f, done + i);
        int w = write(fd, buf, k);
        if (w <= 0)
            break;
        done += w;
    }
    close(fd);
    return (int)done;
}

/* Whether path holds exactly n bytes of pattern f. */
static int check_pattern(const char *path, int f, long n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    long done = 0;
    int ok = 1, r;
    while (ok && (r = read(fd, buf, sizeof buf)) > 0) {
        for (int i = 0; i < r && ok; i++)
            ok = buf[i] == pat(f, done + i);
        done += r;
    }
    close(fd);
    return ok && done == n;
}

static void test_mounted(void)
{
    CHECK(stat_ok("/disk", T_DIR) && st.dev == ROOTDEV + 1 && st.ino == ROOTINO, "/disk is the disk's root");
    CHECK(stat("/disk/..", &st) == 0 && st.dev == ROOTDEV && st.ino == ROOTINO, "/disk/.. is /");
    CHECK(unlink("/disk") == -1, "a mount point cannot be removed");
    CHECK(chdir("/disk") == 0 && stat("..", &st) == 0 && st.ino == ROOTINO && st.dev == ROOTDEV, "cd /disk; ..");
    CHECK(chdir("/") == 0, "back");
}

static void test_files(void)
{
    CHECK(open("/disk/a", O_RDONLY) == -1, "missing");
    int fd = open("/disk/a", O_CREATE | O_RDWR);
    CHECK(fd >= 0 && write(fd, "hello", 5) == 5, "create and write");
    close(fd);
    char b[16];
    fd = open("/disk/a", O_RDONLY);
    CHECK(fd >= 0 && read(fd, b, sizeof b) == 5 && memcmp(b, "hello", 5) == 0, "read back");
    close(fd);
    fd = open("/disk/a", O_WRONLY);
    CHECK(write(fd, "J", 1) == 1, "overwrite");
    close(fd);
    fd = open("/disk/a", O_RDONLY);
    CHECK(read(fd, b, sizeof b) == 5 && memcmp(b, "Jello", 5) == 0, "one byte changed");
    CHECK(fstat(fd, &st) == 0 && st.type == T_FILE && st.nlink == 1 && st.size == 5, "fstat");
    close(fd);
    CHECK(write_pattern("/disk/a", 3, 10000, 777) == 10000 && check_pattern("/disk/a", 3, 10000), "10000 bytes");
    fd = open("/disk/a", O_WRONLY | O_TRUNC);
    close(fd);
    CHECK(stat("/disk/a", &st) == 0 && st.size == 0, "O_TRUNC");
    CHECK(unlink("/disk/a") == 0 && open("/disk/a", O_RDONLY) == -1 && unlink("/disk/a") == -1, "unlink");
}

static void test_dirs(void)
{
    CHECK(stat("/disk", &st) == 0, "stat /disk");
    short links = st.nlink;
    CHECK(mkdir("/disk/d") == 0 && mkdir("/disk/d") == -1, "mkdir");
    CHECK(stat_ok("/disk/d", T_DIR) && st.nlink == 2, "nlink 2");
    CHECK(stat("/disk", &st) == 0 && st.nlink == links + 1, "parent +1");
    CHECK(mkdir("/disk/d/s") == 0 && stat_ok("/disk/d", T_DIR) && st.nlink == 3, "subdir");
    unsigned int d = ino_of("/disk/d");
    CHECK(ino_of("/disk/d/.") == d && ino_of("/disk/d/s/..") == d && ino_of("/disk/d/s/../..") == ROOTINO, ". ..");
    CHECK(chdir("/disk/d") == 0 && write_pattern("f", 1, 3, 3) == 3 && stat_ok("/disk/d/f", T_FILE), "relative");
    int fd = open(".", O_RDONLY);
    struct dirent de;
    int n = 0, saw_f = 0;
    while (read(fd, &de, sizeof de) == sizeof de)
        if (de.inum) {
            n++;
            saw_f |= strcmp(de.name, "f") == 0;
        }
    close(fd);
    CHECK(n == 4 && saw_f, "read the directory: %d entries", n);
    CHECK(chdir("/") == 0, "cd /");
    CHECK(unlink("/disk/d") == -1, "not empty");
    CHECK(unlink("/disk/d/s/.") == -1 && unlink("/disk/d/s/..") == -1, ". and ..");
    CHECK(unlink("/disk/d/s") == 0 && stat_ok("/disk/d", T_DIR) && st.nlink == 2, "rmdir");
    CHECK(unlink("/disk/d/f") == 0 && unlink("/disk/d") == 0, "rmdir d");
    CHECK(stat("/disk", &st) == 0 && st.nlink == links, "parent back");
}

static void test_names(void)
{
    CHECK(write_pattern("/disk/abcdefghijklmn", 2, 2, 2) == 2, "14 bytes");
    unsigned int f = ino_of("/disk/abcdefghijklmn");
    CHECK(f && ino_of("/disk/abcdefghijklmnopq") == f, "a longer name is cut to 14");
    CHECK(unlink("/disk/abcdefghijklmnXYZ") == 0 && !ino_of("/disk/abcdefghijklmn"), "unlink by a long name");
    CHECK(open("/disk/nodir/x", O_CREATE | O_RDWR) == -1, "missing directory");
    /* Many names: the directory grows past one block (64 entries). */
    char name[32];
    int ok = 1;
    for (int i = 0; i < 100 && ok; i++) {
        snprintf(name, sizeof name, "/disk/n%d", i);
        ok = write_pattern(name, i, i, 64) == i;
    }
    for (int i = 0; i < 100 && ok; i++) {
        snprintf(name, sizeof name, "/disk/n%d", i);
        ok = check_pattern(name, i, i) && unlink(name) == 0;
    }
    CHECK(ok, "100 files made, read and removed");
}

static void test_links(void)
{
    CHECK(write_pattern("/disk/l1", 5, 3000, 1000) == 3000, "file");
    CHECK(link("/disk/l1", "/disk/l2") == 0 && stat("/disk/l1", &st) == 0 && st.nlink == 2, "link");
    CHECK(ino_of("/disk/l1") == ino_of("/disk/l2"), "same inode");
    CHECK(link("/disk/l1", "/disk/l2") == -1, "existing name");
    CHECK(link("/disk/l1", "/l3") == -1 && link("/tests/dfs", "/disk/l3") == -1, "not across file systems");
    CHECK(mkdir("/disk/ld") == 0 && link("/disk/ld", "/disk/ld2") == -1, "no links to directories");
    CHECK(unlink("/disk/l1") == 0 && check_pattern("/disk/l2", 5, 3000), "other name keeps it");
    CHECK(stat("/disk/l2", &st) == 0 && st.nlink == 1, "nlink 1");
    CHECK(symlink("l2", "/disk/sl") == 0 && check_pattern("/disk/sl", 5, 3000), "symbolic link");
    CHECK(unlink("/disk/sl") == 0 && unlink("/disk/l2") == 0 && unlink("/disk/ld") == 0, "clean up");
}

static void test_unlink_open(void)
{
    unsigned long before = free_blocks();
    CHECK(write_pattern("/disk/t", 9, 30000, 4096) == 30000, "write");
    int r = open("/disk/t", O_RDONLY);
    CHECK(unlink("/disk/t") == 0 && open("/disk/t", O_RDONLY) == -1, "unlinked while open");
    CHECK(fstat(r, &st) == 0 && st.nlink == 0 && st.size == 30000, "fstat: nlink %d", st.nlink);
    static char back[30000];
    int ok = read(r, back, sizeof back) == sizeof back;
    for (int i = 0; i < 30000 && ok; i++)
        ok = back[i] == pat(9, i);
    CHECK(ok, "still readable");
    CHECK(free_blocks() < before, "blocks still held");
    close(r);
    CHECK(free_blocks() == before, "last close frees them: %lu, were %lu", free_blocks(), before);
}

/* 3 MiB in 8 KiB writes: direct, indirect and double-indirect blocks. */
static void test_big(void)
{
    unsigned long before = free_blocks();
    long n = 3L << 20;
    CHECK(write_pattern("/disk/big", 4, n, sizeof buf) == n, "3 MiB written");
    CHECK(check_pattern("/disk/big", 4, n), "and read back");
    CHECK(unlink("/disk/big") == 0 && free_blocks() == before, "freed: %lu, were %lu", free_blocks(), before);
}

/* The largest file: 11 + 256 + 65536 blocks; one byte more is refused.
 * In 1 MiB writes and reads (each write is cut into 48 KiB transactions
 * by the kernel): what takes the time is the number of transactions, one
 * flush each, not the number of calls. Each MiB gets its own pattern byte,
 * so a block landing in the wrong place shows. */
static char big[1 << 20];

/* The same limit in seconds ("rvfs corrupt IMAGE max-file"): /max is
 * 10 KiB short of the largest file, holes after its first block ('M's).
 * Read to its end, then append: exactly 10 KiB more fit, one byte more is
 * refused, and the file reads back with them. */
static void test_max_file_fast(void)
{
    long max = (11L + 256 + 65536) * 1024, start = max - 10 * 1024;
    CHECK(stat("/disk/max", &st) == 0 && (long)st.size == start, "/max is %lu bytes", st.size);
    int fd = open("/disk/max", O_RDWR);
    long sum = 0;
    int r;
    while ((r = read(fd, big, sizeof big)) > 0)
        sum += r;
    CHECK(sum == start, "read to its end: %ld bytes", sum);
    memset(big, 'Z', 20 * 1024);
    CHECK(write(fd, big, 20 * 1024) == 10 * 1024, "10 KiB of 20 fit");
    CHECK(write(fd, big, 1) == -1, "one byte more is refused");
    close(fd);
    CHECK(stat("/disk/max", &st) == 0 && (long)st.size == max, "size %lu, the largest file", st.size);
    fd = open("/disk/max", O_RDONLY);
    sum = 0;
    int ok = 1;
    while ((r = read(fd, big, sizeof big)) > 0) {
        for (int i = 0; i < r && ok; i += 512) {
            long at = sum + i;
            ok = big[i] == (at < 1024 ? 'M' : at < start ? 0 : 'Z');
        }
        sum += r;
    }
    close(fd);
    CHECK(sum == max && ok, "reads back: %ld bytes, 'M's, holes, then the 'Z's: %s", sum, ok ? "yes" : "no");
    CHECK(unlink("/disk/max") == 0, "unlink");
}

static void test_max_file(void)
{
    long max = (11L + 256 + 65536) * 1024, done = 0;
    int fd = open("/disk/max", O_CREATE | O_WRONLY);
    CHECK(fd >= 0, "create");
    while (done <= max) {
        long k = max + 1 - done < (long)sizeof big ? max + 1 - done : (long)sizeof big;
        memset(big, 'a' + (int)(done >> 20) % 26, (unsigned long)k);
        int w = write(fd, big, (int)k);
        if (w <= 0)
            break;
        done += w;
    }
    close(fd);
    CHECK(done == max, "the largest file: %ld bytes written of %ld (one more refused)", done, max);
    CHECK(stat("/disk/max", &st) == 0 && (long)st.size == max, "size %lu", st.size);
    fd = open("/disk/max", O_RDONLY);
    long sum = 0;
    int r, ok = 1;
    while ((r = read(fd, big, sizeof big)) > 0) {
        for (int i = 0; i < r && ok; i += 1024)
            ok = big[i] == 'a' + (int)((sum + i) >> 20) % 26;
        sum += r;
    }
    close(fd);
    CHECK(sum == max && ok, "read back %ld bytes, pattern %s", sum, ok ? "right" : "wrong");
    CHECK(unlink("/disk/max") == 0, "unlink");
}

/* Fill the disk: the write that finds no block returns -1 (or short),
 * and nothing already written is lost. */
static void test_full(void)
{
    CHECK(write_pattern("/disk/keep", 8, 5000, 1000) == 5000, "a file written first");
    unsigned long before = free_blocks();
    int fd = open("/disk/fill", O_CREATE | O_WRONLY);
    long total = 0;
    int w, f = 0;
    for (;;) {
        for (int i = 0; i < 4096; i++)
            buf[i] = pat(f, total + i);
        if ((w = write(fd, buf, 4096)) <= 0)
            break;
        total += w;
    }
    close(fd);
    CHECK(w == -1, "the write past the end of the disk returns -1");
    CHECK(free_blocks() == 0, "the disk is full: %lu free", free_blocks());
    CHECK(total > 1000L * 1024, "wrote %ld bytes before it filled", total);
    CHECK(check_pattern("/disk/fill", f, total), "every byte written is there");
    CHECK(check_pattern("/disk/keep", 8, 5000), "the earlier file is intact");
    /* A new name may still fit in the directory's last block, or not. */
    int nfd = open("/disk/new", O_CREATE | O_RDWR);
    CHECK(nfd < 0 || write(nfd, "x", 1) == -1, "a new file on a full disk gets no block");
    if (nfd >= 0)
        close(nfd);
    unlink("/disk/new");
    CHECK(unlink("/disk/fill") == 0 && free_blocks() == before, "all back: %lu, were %lu", free_blocks(), before);
    CHECK(unlink("/disk/keep") == 0, "clean up");
}

#define NWRITERS 8

static int writer(long id)
{
    char name[32], small[32];
    snprintf(name, sizeof name, "/disk/cw/w%ld", id);
    int fd = open(name, O_CREATE | O_WRONLY);
    if (fd < 0)
        return 1;
    static char b[700];
    for (long off = 0; off < 200000;) {
        int k = 200000 - off < 700 ? (int)(200000 - off) : 700;
        for (int i = 0; i < k; i++)
            b[i] = pat((int)id, off + i);
        if (write(fd, b, k) != k)
            return 2;
        off += k;
        if (off % 7000 == 0) { /* and some name-space traffic in between */
            snprintf(small, sizeof small, "/disk/cw/s%ld_%ld", id, off / 7000);
            int s = open(small, O_CREATE | O_WRONLY);
            if (s < 0 || write(s, "x", 1) != 1)
                return 3;
            close(s);
            if (off % 14000 == 0 && unlink(small) != 0)
                return 4;
        }
    }
    close(fd);
    return 0;
}

static void test_concurrent(void)
{
    /* In a directory of their own: it grows with the names, and gives its
     * blocks back only when it is removed. */
    unsigned long before = free_blocks();
    CHECK(mkdir("/disk/cw") == 0, "mkdir");
    int pids[NWRITERS];
    for (long i = 0; i < NWRITERS; i++)
        pids[i] = spawn(writer, i);
    int ok = 1;
    for (int i = 0; i < NWRITERS; i++)
        ok &= wait_status(pids[i]) == 0;
    CHECK(ok, "%d writers on 4 harts all finished", NWRITERS);
    char name[32];
    for (int i = 0; i < NWRITERS; i++) {
        snprintf(name, sizeof name, "/disk/cw/w%d", i);
        CHECK(check_pattern(name, i, 200000), "%s intact", name);
        unlink(name);
        for (int k = 1; k * 7000 <= 200000; k++) {
            snprintf(name, sizeof name, "/disk/cw/s%d_%d", i, k);
            int there = stat(name, &st) == 0;
            CHECK(there == (k % 2 == 1), "%s there: %d", name, there);
            unlink(name);
        }
    }
    CHECK(unlink("/disk/cw") == 0, "rmdir");
    CHECK(free_blocks() == before, "all blocks back: %lu, were %lu", free_blocks(), before);
}

/* Across a power-off: the first boot writes, the second checks. */
static void test_persist_write(void)
{
    CHECK(mkdir("/disk/p") == 0, "mkdir");
    CHECK(write_pattern("/disk/p/data", 11, 300000, 3000) == 300000, "300000 bytes");
    CHECK(link("/disk/p/data", "/disk/p/again") == 0, "a second name");
    CHECK(write_pattern("/disk/p/gone", 1, 10, 10) == 10 && unlink("/disk/p/gone") == 0, "made and removed");
}

static void test_persist_check(void)
{
    CHECK(check_pattern("/disk/p/data", 11, 300000), "same bytes after the reboot");
    CHECK(stat("/disk/p/again", &st) == 0 && st.nlink == 2 && st.ino == ino_of("/disk/p/data"), "both names");
    CHECK(stat("/disk/p/gone", &st) == -1, "the removed one stays removed");
}

/* The crash workload: system calls, each of which must be there whole or
 * not at all after a power cut at any disk write, and in order.
 * crash_check names the state it finds: how many of the calls are done. */
#define CRASH_CALLS 8
static void test_crash_run(void)
{
    int fd = open("/disk/c1", O_CREATE | O_WRONLY); /* 1: create */
    for (int i = 0; i < 8192; i++)
        buf[i] = pat(1, i);
    CHECK(fd >= 0 && write(fd, buf, 8192) == 8192, "2: write 8 KiB in one call (one transaction)");
    close(fd);
    CHECK(mkdir("/disk/cd") == 0, "3: mkdir");
    CHECK(link("/disk/c1", "/disk/cd/c1") == 0, "4: link");
    CHECK(unlink("/disk/c1") == 0, "5: unlink");
    fd = open("/disk/cd/c2", O_CREATE | O_WRONLY); /* 6: create */
    for (int i = 0; i < 2000; i++)
        buf[i] = pat(2, i);
    CHECK(fd >= 0 && write(fd, buf, 2000) == 2000, "7: write");
    close(fd);
    CHECK(unlink("/disk/cd/c1") == 0, "8: unlink the last name");
}

/* 0: missing, 1: empty, 2: whole, -1: anything else (a torn write). */
static int file_state(const char *path, int f, long n)
{
    if (stat(path, &st) < 0)
        return 0;
    if (st.type == T_FILE && st.size == 0)
        return 1;
    return check_pattern(path, f, n) ? 2 : -1;
}

static void test_crash_check(void)
{
    int c1 = file_state("/disk/c1", 1, 8192), cdc1 = file_state("/disk/cd/c1", 1, 8192);
    int c2 = file_state("/disk/cd/c2", 2, 2000), cd = stat_ok("/disk/cd", T_DIR);
    CHECK(c1 >= 0 && cdc1 >= 0 && c2 >= 0, "no file is torn (c1 %d, cd/c1 %d, c2 %d)", c1, cdc1, c2);
    if (c1 && cdc1)
        CHECK(stat("/disk/c1", &st) == 0 && st.nlink == 2, "two names, nlink %d", st.nlink);
    else if (c1 || cdc1)
        CHECK(stat(c1 ? "/disk/c1" : "/disk/cd/c1", &st) == 0 && st.nlink == 1, "one name, nlink %d", st.nlink);
    int state = !c1 && !cd                      ? 0
                : c1 && !cd                     ? c1 /* 1: created, 2: written */
                : c1 == 2 && cd && !cdc1 && !c2 ? 3
                : c1 == 2 && cdc1 == 2 && !c2   ? 4
                : !c1 && cdc1 == 2 && !c2       ? 5
                : !c1 && cdc1 == 2 && c2        ? 5 + c2 /* 6: created, 7: written */
                : !c1 && cd && !cdc1 && c2 == 2 ? 8
                                                : -1;
    CHECK(state >= 0, "a state some prefix of the calls leads to (c1 %d cd %d cd/c1 %d c2 %d)", c1, cd, cdc1, c2);
    printf("crash state: %d of %d calls done\n", state, CRASH_CALLS);
}

/* On an image damaged by "rvfs corrupt IMAGE file" (tools/rvfs.c): /bad's
 * block 0 is good, block 1 points at the first inode block, block 2 past
 * the end of the disk. Reading shows the bad blocks as holes; writing
 * them fails and changes no other block; the file system carries on. */
static void test_corrupt_file(void)
{
    CHECK(stat_ok("/disk/bad", T_FILE) && st.size == 3 * 1024, "/bad is there, 3 KiB");
    int fd = open("/disk/bad", O_RDWR);
    CHECK(fd >= 0, "open /bad");
    int r = read(fd, buf, 3 * 1024);
    CHECK(r >= 1024, "read /bad: %d bytes (at least the good block)", r);
    int ok = 1;
    for (int i = 0; i < r && ok; i++)
        ok = buf[i] == (i < 1024 ? 'A' : 0);
    CHECK(ok, "the good block reads back, the bad ones as holes");
    for (int i = 0; i < 1024; i++)
        buf[i] = 'z';
    close(fd);
    /* No seek: reach blocks 1 and 2 by reading up to them. */
    static char skip[1024];
    for (int at = 1; at <= 2; at++) {
        fd = open("/disk/bad", O_RDWR);
        for (int k = 0; k < at; k++)
            read(fd, skip, sizeof skip);
        int w = write(fd, buf, 1024);
        CHECK(w <= 0, "a write through bad pointer %d fails (%d)", at, w);
        close(fd);
    }
    fd = open("/disk/bad", O_RDWR);
    CHECK(fd >= 0 && write(fd, buf, 1024) == 1024, "the good block can still be written");
    close(fd);
    /* The inode block that block 1 names is intact: the root and /bad. */
    CHECK(stat_ok("/disk", T_DIR) && stat_ok("/disk/bad", T_FILE), "the inodes are intact");
    CHECK(write_pattern("/disk/new", 3, 20000, 4096) == 20000 && check_pattern("/disk/new", 3, 20000),
          "a new file is written and read back");
    CHECK(unlink("/disk/bad") == 0 && stat("/disk/bad", &st) < 0, "/bad can be removed");
    CHECK(check_pattern("/disk/new", 3, 20000), "the new file is still whole");
}

/* The same image: reading the damaged file over and over must not flood
 * the console: at most PRINTK_BURST lines a second from one place in the
 * kernel, then one line counting what was left out (tests.cmake expects
 * it, once a second has passed). */
static void test_corrupt_flood(void)
{
    for (int i = 0; i < 50; i++) {
        int fd = open("/disk/bad", O_RDONLY);
        CHECK(fd >= 0 && read(fd, buf, 3 * 1024) >= 1024, "read %d", i);
        close(fd);
    }
    pause(150); /* 1.5 s: a new window */
    int fd = open("/disk/bad", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 3 * 1024) >= 1024, "read once more");
    close(fd);
}

/* On an image damaged by "rvfs corrupt IMAGE dir": /loop/up names the
 * root and /loop/self names /loop (a loop); /ghost names an inode out of
 * range. Each such name is not found; a walk of the tree ends; the rest
 * works. */
static int walk_depth;

static void walk(const char *path, int depth)
{
    if (depth > walk_depth)
        walk_depth = depth;
    if (depth > 8)
        return;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    struct dirent de;
    char sub[128];
    static char names[9][64][DIRSIZ + 1];
    int n = 0;
    while (read(fd, &de, sizeof de) == sizeof de && n < 64) {
        if (!de.inum || !strcmp(de.name, ".") || !strcmp(de.name, ".."))
            continue;
        memmove(names[depth][n], de.name, DIRSIZ);
        names[depth][n++][DIRSIZ] = 0;
    }
    close(fd);
    for (int i = 0; i < n; i++) {
        snprintf(sub, sizeof sub, "%s/%s", path, names[depth][i]);
        if (stat_ok(sub, T_DIR))
            walk(sub, depth + 1);
    }
}

static void test_corrupt_dir(void)
{
    CHECK(stat_ok("/disk/loop", T_DIR), "/loop is a directory");
    CHECK(open("/disk/loop/up", O_RDONLY) < 0, "/loop/up (the root: a loop) is refused");
    CHECK(open("/disk/loop/self", O_RDONLY) < 0, "/loop/self (itself: a loop) is refused");
    CHECK(open("/disk/ghost", O_RDONLY) < 0 && stat("/disk/ghost", &st) < 0, "/ghost (inode out of range) is refused");
    CHECK(unlink("/disk/ghost") < 0 && unlink("/disk/loop/up") < 0, "neither can be unlinked through");
    walk_depth = 0;
    walk("/disk", 0);
    CHECK(walk_depth == 1, "a walk of /disk ends (depth %d)", walk_depth);
    CHECK(mkdir("/disk/loop/d") == 0 && stat_ok("/disk/loop/d", T_DIR), "mkdir in /loop");
    CHECK(write_pattern("/disk/loop/d/f", 5, 5000, 1000) == 5000 && check_pattern("/disk/loop/d/f", 5, 5000),
          "a file in it");
    CHECK(stat_ok("/disk/loop/..", T_DIR) && stat_ok("/disk/loop/d/../..", T_DIR), ".. still works");
}

/* ---- a fragmented disk ("fs-frag:384M": rvfs fragment leaves 3 free
 * blocks under each of the 48 bitmap blocks): two writers at once, each
 * writing one slice (48 KiB) whose 49 new blocks land under at least 17
 * bitmap blocks: 67 log blocks or more for the call, past the 64 its
 * reservation promised (the admission arithmetic that let three such
 * calls overflow the log and panic the kernel). The log must never
 * overflow (it used to panic the kernel), every byte written must read
 * back, and every block must come back. */
#define FRAG_WRITERS 2
#define FRAG_BYTES (48 * 1024)

static int frag_writer(long id)
{
    static char b[FRAG_BYTES];
    char name[32];
    snprintf(name, sizeof name, "/disk/fw%ld", id);
    for (long i = 0; i < FRAG_BYTES; i++)
        b[i] = pat((int)id, i);
    int fd = open(name, O_CREATE | O_WRONLY);
    if (fd < 0)
        return 1;
    int w = write(fd, b, FRAG_BYTES); /* one call, as large as a write slice */
    close(fd);
    return w == FRAG_BYTES ? 0 : 2;
}

static void test_frag(void)
{
    unsigned long before = free_blocks();
    CHECK(before >= FRAG_WRITERS * (FRAG_BYTES / 1024 + 1) && before <= 48 * 3, "a fragmented disk: %lu free", before);
    int pids[FRAG_WRITERS];
    for (long i = 0; i < FRAG_WRITERS; i++)
        pids[i] = spawn(frag_writer, i);
    int ok = 1;
    for (int i = 0; i < FRAG_WRITERS; i++)
        ok &= wait_status(pids[i]) == 0;
    CHECK(ok, "%d writers of %d KiB each finished", FRAG_WRITERS, FRAG_BYTES / 1024);
    struct diskstat ds;
    CHECK(disk(DISK_STAT, 0, &ds) == 0 && ds.fs_call_max <= 64 && ds.fs_readonly == 0,
          "no call outgrew its log reservation: at most %lu blocks of 64", ds.fs_call_max);
    char name[32];
    for (int i = 0; i < FRAG_WRITERS; i++) {
        snprintf(name, sizeof name, "/disk/fw%d", i);
        CHECK(check_pattern(name, i, FRAG_BYTES), "%s intact", name);
        CHECK(unlink(name) == 0, "unlink %s", name);
    }
    CHECK(free_blocks() == before, "all blocks back: %lu, were %lu", free_blocks(), before);
}

/* ---- injected disk errors (tests/guest/blkdebug/NAME.conf). */

/* home.conf: the home write of this file's first data block fails after
 * its transaction committed. The write is durable (in the log) and says
 * so; the file system turns read-only; the next boot replays the log. */
static void test_err_home(void)
{
    CHECK(write_pattern("/disk/a", 21, 5000, 5000) == 5000, "the write is acknowledged (it is in the log)");
    CHECK(check_pattern("/disk/a", 21, 5000), "and reads back");
    CHECK(open("/disk/b", O_CREATE | O_RDWR) < 0 && mkdir("/disk/d") < 0, "read-only now: no new files");
    CHECK(unlink("/disk/a") < 0 && check_pattern("/disk/a", 21, 5000), "nor unlink");
}

static void test_err_home_check(void)
{
    CHECK(check_pattern("/disk/a", 21, 5000), "the file is whole after the reboot (the log replayed it)");
    CHECK(write_pattern("/disk/b", 22, 3000, 1000) == 3000 && check_pattern("/disk/b", 22, 3000), "writable again");
}

/* logwrite.conf: a log block write of the large write's commit fails.
 * Nothing of it is acknowledged or kept; the file system turns read-only
 * and reads still work; then the power goes (the program ends). */
static void test_err_log(void)
{
    int fd = open("/disk/a", O_CREATE | O_WRONLY);
    CHECK(fd >= 0, "create");
    static char big[40 * 1024];
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = pat(23, i);
    CHECK(write(fd, big, sizeof big) == -1, "the write whose commit failed returns -1");
    close(fd);
    CHECK(stat("/disk/a", &st) == 0 && st.size == 0, "the file is as the disk has it: size %lu", st.size);
    CHECK(open("/disk/b", O_CREATE | O_RDWR) < 0, "read-only now");
    CHECK(stat_ok("/disk", T_DIR) && st.nlink == 2, "the root is intact");
}

static void test_err_log_check(void)
{
    CHECK(stat("/disk/a", &st) == 0 && st.size == 0, "after the cut: the file as it was before the failed write");
    CHECK(write_pattern("/disk/b", 24, 3000, 1000) == 3000 && check_pattern("/disk/b", 24, 3000), "writable again");
}

/* flush.conf: the first commit's flush fails. The create returns -1 and
 * the file system turns read-only. */
static void test_err_flush(void)
{
    CHECK(open("/disk/a", O_CREATE | O_RDWR) < 0, "the create whose flush failed returns -1");
    CHECK(stat("/disk/a", &st) < 0, "and shows no file");
    CHECK(mkdir("/disk/d") < 0, "read-only now");
    CHECK(stat_ok("/disk", T_DIR), "reads still work");
}

static void test_err_flush_check(void)
{
    /* The failed flush may or may not have made the record durable: the
     * file is there whole (empty) or not at all. */
    CHECK(stat("/disk/a", &st) < 0 || (st.type == T_FILE && st.size == 0), "no half file");
    CHECK(write_pattern("/disk/b", 25, 3000, 1000) == 3000 && check_pattern("/disk/b", 25, 3000), "writable again");
}

/* fsync.conf: the commit of the second slice of a 96 KiB write fails.
 * The write returns the first slice's count, which is on the disk; fsync
 * is what reports that the rest failed, once to each file open at the
 * time, and a file opened later covers only what is on the disk. */
#define SLICE (48 * 1024) /* RVFS_WRITE_MAX: one transaction's data */
static void test_err_fsync(void)
{
    int p[2];
    CHECK(fsync(-1) < 0 && fsync(NOFILE) < 0 && fsync(NOFILE - 1) < 0, "a bad or closed fd: -1");
    CHECK(pipe(p) == 0 && fsync(p[0]) < 0 && fsync(p[1]) < 0, "a pipe: -1");
    close(p[0]);
    close(p[1]);
    int fd = open("/fsync.ram", O_CREATE | O_RDWR);
    CHECK(fd >= 0 && write(fd, "ram", 3) == 3 && fsync(fd) == 0, "a RAM file: 0");
    close(fd);
    unlink("/fsync.ram");
    CHECK(write_pattern("/disk/s", 26, 1000, 1000) == 1000, "a small disk file");
    fd = open("/disk/s", O_RDWR);
    CHECK(fd >= 0 && write(fd, "x", 1) == 1 && fsync(fd) == 0 && fsync(fd) == 0, "its fsync: 0");
    close(fd);
    int a = open("/disk/a", O_CREATE | O_RDWR), b = open("/disk/a", O_RDONLY);
    CHECK(a >= 0 && b >= 0, "create");
    static char big[2 * SLICE];
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = pat(27, i);
    int w = write(a, big, sizeof big);
    CHECK(w == SLICE, "the write returns what reached the disk: %d of %d", w, (int)sizeof big);
    CHECK(fsync(a) == -1, "fsync reports the failed slice");
    CHECK(fsync(a) == 0, "once per open file");
    CHECK(fsync(b) == -1, "another file open at the time hears of it too");
    int c = open("/disk/a", O_RDONLY), s = open("/disk/s", O_RDONLY);
    CHECK(c >= 0 && fsync(c) == 0, "a file opened since covers only what is on the disk: 0");
    CHECK(s >= 0 && fsync(s) == 0, "an untouched file: 0");
    close(a);
    close(b);
    close(c);
    close(s);
    CHECK(check_pattern("/disk/a", 27, SLICE), "the acknowledged slice reads back, nothing more");
}

static void test_err_fsync_check(void)
{
    CHECK(check_pattern("/disk/a", 27, SLICE), "after the reboot: the acknowledged slice, nothing more");
    CHECK(stat("/disk/s", &st) == 0 && st.size == 1000, "the small file is whole");
}

/* A read-only device ("fs-ro:"): mounted read-only; nothing changes. */
static void test_readonly(void)
{
    CHECK(stat_ok("/disk", T_DIR), "mounted");
    CHECK(open("/disk/a", O_CREATE | O_RDWR) < 0 && mkdir("/disk/d") < 0, "no new files");
    CHECK(link("/disk/.", "/disk/x") < 0 && unlink("/disk/x") < 0, "no links");
    int fd = open("/disk", O_RDONLY);
    struct dirent de;
    CHECK(fd >= 0 && read(fd, &de, sizeof de) == sizeof de, "the root directory reads");
    close(fd);
}

/* "rvfs corrupt IMAGE named-nlink": /f (2 KiB of 'F') has a name but a
 * link count of 0. It must never be freed (which let the next file take
 * its inode and the old name show the new bytes). */
static void test_named_nlink(void)
{
    int fd = open("/disk/f", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 4096) == 2048 && buf[0] == 'F' && buf[2047] == 'F', "/f reads back");
    close(fd); /* the last reference: it must not be freed */
    unsigned int ino = ino_of("/disk/f");
    CHECK(write_pattern("/disk/g", 26, 3000, 1000) == 3000, "a new file");
    CHECK(ino_of("/disk/g") != ino, "does not take /f's inode");
    fd = open("/disk/f", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 4096) == 2048 && buf[0] == 'F' && buf[2047] == 'F', "/f still holds its bytes");
    close(fd);
}

/* "rvfs corrupt IMAGE root-nlink": the root's link count is 0. The tree
 * is not freed: /disk is mounted read-only, /keep intact. */
static void test_root_nlink(void)
{
    int fd = open("/disk/keep", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 4096) == 1024 && buf[0] == 'K' && buf[1023] == 'K', "/keep is intact");
    close(fd);
    CHECK(open("/disk/new", O_CREATE | O_RDWR) < 0, "read-only");
}

/* "rvfs corrupt IMAGE log-replay": /r's block is 'A's on disk, 'B's in
 * a complete record of the log. */
static void test_replayed(void)
{
    int fd = open("/disk/r", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 4096) == 1024 && buf[0] == 'B' && buf[1023] == 'B', "the record was replayed");
    close(fd);
}

/* ---- the random power-cut campaign (scripts/powercut.py): four
 * processes run random file-system calls on /disk/pc and print a line as
 * each is acknowledged; the host cuts the power (SIGKILL to QEMU) at a
 * random moment, runs fsck, and boots powercut_check, whose listing it
 * holds against the acknowledged calls. Every line is "pc ..." and short
 * enough to reach the console whole. */
#define PC_PROCS 4
#define PC_OPS 40
static int pc_seed;

static unsigned int pc_hash(const char *base)
{
    unsigned int h = 2166136261u;
    for (; *base && *base != 'L'; base++)
        h = (h ^ (unsigned char)*base) * 16777619u;
    return h;
}

/* Byte i of every file named base (or base + "L", a link to it). */
static char pc_byte(unsigned int h, long i) { return (char)('a' + (h + (unsigned long)i * 7 + i / 1000) % 26); }

static unsigned int pc_rand(unsigned int *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static int pc_worker(long id)
{
    static const int sizes[] = {100, 1000, 5000, 20000, 60000};
    static char b[60000];
    char live[PC_OPS][16], name[32], path[48];
    int nlive = 0;
    unsigned int s = (unsigned int)(pc_seed * 977 + id * 131 + 7);
    for (int op = 0; op < PC_OPS; op++) {
        int kind = (int)(pc_rand(&s) % 6);
        if (nlive == 0 || kind == 0 || kind == 5) {
            snprintf(name, sizeof name, "p%ld_%d", id, op);
            snprintf(path, sizeof path, "/disk/pc/%s", name);
            int n = sizes[pc_rand(&s) % 5];
            unsigned int h = pc_hash(name);
            for (int i = 0; i < n; i++)
                b[i] = pc_byte(h, i);
            /* Acknowledged only once fsync says it is on the disk. */
            int fd = open(path, O_CREATE | O_WRONLY), w = fd < 0 ? -2 : write(fd, b, n);
            int synced = w == n ? fsync(fd) : -2;
            if (w != n || synced != 0) {
                printf("pc worker %ld: %s: fd %d, wrote %d of %d, fsync %d\n", id, name, fd, w, n, synced);
                return 1;
            }
            close(fd);
            printf("pc ack w %s %d\n", name, n);
            memmove(live[nlive++], name, sizeof live[0]);
        } else if (kind == 1) {
            int k = (int)(pc_rand(&s) % (unsigned)nlive);
            if (strlen(live[k]) > 10 || live[k][strlen(live[k]) - 1] == 'L')
                continue;
            snprintf(name, sizeof name, "%sL", live[k]);
            int taken = 0;
            for (int j = 0; j < nlive; j++)
                taken |= strcmp(live[j], name) == 0;
            if (taken)
                continue; /* linked already */
            char from[48];
            snprintf(from, sizeof from, "/disk/pc/%s", live[k]);
            snprintf(path, sizeof path, "/disk/pc/%s", name);
            if (link(from, path) != 0)
                return 2;
            printf("pc ack l %s %s\n", name, live[k]);
            memmove(live[nlive++], name, sizeof live[0]);
        } else if (kind == 2 || kind == 4) {
            int k = (int)(pc_rand(&s) % (unsigned)nlive);
            snprintf(path, sizeof path, "/disk/pc/%s", live[k]);
            int fd = kind == 4 ? open(path, O_RDONLY) : -1;
            printf("pc start u %s\n", live[k]);
            if (unlink(path) != 0)
                return 3;
            printf("pc ack u %s\n", live[k]);
            if (fd >= 0) { /* unlinked while open: still whole */
                unsigned int h = pc_hash(live[k]);
                long at = 0;
                int r;
                while ((r = read(fd, b, sizeof b)) > 0)
                    for (int i = 0; i < r; i++, at++)
                        if (b[i] != pc_byte(h, at))
                            return 4;
                close(fd);
            }
            memmove(live[k], live[--nlive], sizeof live[0]);
        } else {
            snprintf(name, sizeof name, "d%ld_%d", id, op);
            snprintf(path, sizeof path, "/disk/pc/%s", name);
            if (mkdir(path) != 0)
                return 5;
            printf("pc ack d %s\n", name);
        }
    }
    return 0;
}

static void test_powercut(void)
{
    CHECK(mkdir("/disk/pc") == 0, "mkdir /disk/pc");
    printf("pc go\n");
    int pids[PC_PROCS], ok = 1;
    for (long i = 0; i < PC_PROCS; i++)
        pids[i] = spawn(pc_worker, i);
    for (int i = 0; i < PC_PROCS; i++) {
        if (pids[i] <= 0) {
            CHECK(0, "fork of worker %d failed", i);
            ok = 0;
            continue;
        }
        int st = wait_status(pids[i]);
        CHECK(st == 0, "worker %d ended with %d (1 create/write/fsync, 2 link, 3 unlink, 4 read back, 5 mkdir)", i, st);
        ok &= st == 0;
    }
    CHECK(ok, "%d workers ran %d calls each", PC_PROCS, PC_OPS);
}

/* After the cut: every entry of /disk/pc, with whether its bytes are the
 * pattern of its name (no torn or foreign data), for the host to judge. */
static void test_powercut_check(void)
{
    int fd = open("/disk/pc", O_RDONLY);
    if (fd < 0) {
        printf("pc none\n"); /* the cut came before mkdir was durable */
        return;
    }
    struct dirent de;
    static char names[1024][DIRSIZ + 1];
    int n = 0;
    while (read(fd, &de, sizeof de) == sizeof de && n < 1024)
        if (de.inum && strcmp(de.name, ".") && strcmp(de.name, "..")) {
            memmove(names[n], de.name, DIRSIZ);
            names[n++][DIRSIZ] = 0;
        }
    close(fd);
    static char b[8192];
    char path[48];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/disk/pc/%s", names[i]);
        CHECK(stat(path, &st) == 0, "stat %s", path);
        int ok = 1;
        if (st.type == T_FILE) {
            unsigned int h = pc_hash(names[i]);
            int f = open(path, O_RDONLY), r;
            long at = 0;
            while ((r = read(f, b, sizeof b)) > 0)
                for (int k = 0; k < r; k++, at++)
                    ok &= b[k] == pc_byte(h, at);
            close(f);
            ok &= at == (long)st.size;
        }
        printf("pc have %s %d %lu %s\n", names[i], st.type, st.size, ok ? "ok" : "bad");
    }
    printf("pc listed %d\n", n);
}

static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {
    {"mounted", test_mounted},
    {"files", test_files},
    {"dirs", test_dirs},
    {"names", test_names},
    {"links", test_links},
    {"unlink_open", test_unlink_open},
    {"big", test_big},
    {"max_file", test_max_file},
    {"max_file_fast", test_max_file_fast},
    {"full", test_full},
    {"concurrent", test_concurrent},
    {"persist_write", test_persist_write},
    {"persist_check", test_persist_check},
    {"crash_run", test_crash_run},
    {"crash_check", test_crash_check},
    {"corrupt_file", test_corrupt_file},
    {"corrupt_dir", test_corrupt_dir},
    {"corrupt_flood", test_corrupt_flood},
    {"frag", test_frag},
    {"err_home", test_err_home},
    {"err_home_check", test_err_home_check},
    {"err_log", test_err_log},
    {"err_log_check", test_err_log_check},
    {"err_flush", test_err_flush},
    {"err_flush_check", test_err_flush_check},
    {"err_fsync", test_err_fsync},
    {"err_fsync_check", test_err_fsync_check},
    {"readonly", test_readonly},
    {"named_nlink", test_named_nlink},
    {"root_nlink", test_root_nlink},
    {"replayed", test_replayed},
    {"powercut", test_powercut},
    {"powercut_check", test_powercut_check},
};

int main(int argc, char **argv)
{
    const char *want = argc > 1 ? argv[1] : "mounted";
    pc_seed = argc > 2 ? atoi(argv[2]) : 0;
    int found = 0;
    test_begin(want);
    CHECK(stat_ok("/disk", T_DIR), "/disk is mounted");
    for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(want, groups[i].name) == 0) {
            groups[i].run();
            found = 1;
        }
    CHECK(found, "no test group named %s", want);
    return test_end();
}
