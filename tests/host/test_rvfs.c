/* The host tool for the disk file system (tools/rvfs.c): mkfs of an empty
 * file system and of a directory tree, and fsck of good images and of
 * images corrupted one way at a time, each of which must be reported with
 * a message naming the problem (never a crash: the sanitizers watch). */
#include "check.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../../tools/rvfs.h"

static char dir[256], img[300];
static char report[8192];

/* Runs fsck on img, keeping its output in report; returns its count. */
static int fsck(void)
{
    FILE *f = fmemopen(report, sizeof report - 1, "w");
    int r = rvfs_fsck(img, f);
    fclose(f);
    return r;
}

static uint8_t *load(long *len)
{
    FILE *f = fopen(img, "rb");
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)*len);
    if (fread(b, 1, (size_t)*len, f) != (size_t)*len)
        *len = -1;
    fclose(f);
    return b;
}

static void store(const uint8_t *b, long len)
{
    FILE *f = fopen(img, "wb");
    fwrite(b, 1, (size_t)len, f);
    fclose(f);
}

static struct rvfs_super *super(uint8_t *b) { return (struct rvfs_super *)(b + RVFS_BSIZE); }

static struct rvfs_dinode *ino(uint8_t *b, uint32_t inum)
{
    return (struct rvfs_dinode *)(b + (uint64_t)(super(b)->inodestart + inum / RVFS_IPB) * RVFS_BSIZE) +
           inum % RVFS_IPB;
}

/* The inode number name has in the root directory of image b, or 0. */
static uint32_t root_lookup(uint8_t *b, const char *name)
{
    struct rvfs_dinode *r = ino(b, RVFS_ROOTINO);
    for (uint32_t off = 0; off < r->size; off += sizeof(struct rvfs_dirent)) {
        uint32_t blk = r->addrs[off / RVFS_BSIZE];
        struct rvfs_dirent *de = (struct rvfs_dirent *)(b + (uint64_t)blk * RVFS_BSIZE + off % RVFS_BSIZE);
        if (de->inum && strncmp(de->name, name, RVFS_DIRSIZ) == 0)
            return de->inum;
    }
    return 0;
}

static void write_host_file(const char *name, long n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    for (long i = 0; i < n; i++)
        fputc((int)(i * 7 % 251), f);
    fclose(f);
}

static void test_empty(void *arg)
{
    (void)arg;
    CHECK_EQ_INT(rvfs_mkfs(img, 32 << 20, 0, stderr), 0);
    CHECK_EQ_INT(fsck(), 0);
    CHECK(strstr(report, "clean") != 0);
    long len;
    uint8_t *b = load(&len);
    CHECK_EQ(len, 32 << 20);
    CHECK_EQ(super(b)->magic, RVFS_MAGIC);
    CHECK_EQ(super(b)->size, 32768);
    CHECK_EQ(ino(b, RVFS_ROOTINO)->type, 1);
    CHECK_EQ(ino(b, RVFS_ROOTINO)->nlink, 2);
    CHECK_EQ(ino(b, RVFS_ROOTINO)->size, 32);
    free(b);
    /* Sizes it cannot make are refused with a message, not made. */
    FILE *devnull = fopen("/dev/null", "w");
    CHECK_EQ_INT(rvfs_mkfs(img, 100 << 10, 0, devnull), -1);
    CHECK_EQ_INT(rvfs_mkfs(img, 1ull << 30, 0, devnull), -1);
    fclose(devnull);
}

static void test_tree(void *arg)
{
    (void)arg;
    char p[512], q[512];
    write_host_file("small", 100);
    /* Past the direct (11 KiB) and indirect (256 KiB) blocks. */
    write_host_file("big", 3 * 1024 * 1024 + 5);
    snprintf(p, sizeof p, "%s/sub", dir);
    mkdir(p, 0755);
    write_host_file("sub/inner", 5000);
    snprintf(p, sizeof p, "%s/small", dir);
    snprintf(q, sizeof q, "%s/hard", dir);
    CHECK_EQ_INT(link(p, q), 0);
    snprintf(q, sizeof q, "%s/soft", dir);
    CHECK_EQ_INT(symlink("sub/inner", q), 0);
    CHECK_EQ_INT(rvfs_mkfs(img, 16 << 20, dir, stderr), 0);
    CHECK_EQ_INT(fsck(), 0);
    long len;
    uint8_t *b = load(&len);
    uint32_t small = root_lookup(b, "small"), hard = root_lookup(b, "hard"), big = root_lookup(b, "big");
    uint32_t sub = root_lookup(b, "sub"), soft = root_lookup(b, "soft");
    CHECK(small != 0 && small == hard);
    CHECK_EQ(ino(b, small)->nlink, 2);
    CHECK_EQ(ino(b, small)->size, 100);
    CHECK_EQ(ino(b, big)->size, 3 * 1024 * 1024 + 5);
    CHECK(ino(b, big)->addrs[RVFS_NDIRECT + 1] != 0); /* uses the double-indirect block */
    CHECK_EQ(ino(b, sub)->type, 1);
    CHECK_EQ(ino(b, sub)->nlink, 2);
    CHECK_EQ(ino(b, RVFS_ROOTINO)->nlink, 3); /* ".", "..", and sub's ".." */
    CHECK_EQ(ino(b, soft)->type, 4);
    CHECK_EQ(ino(b, soft)->size, 9);
    /* The last byte of the big file, through both levels of tables. */
    uint32_t fb = (3 * 1024 * 1024 + 4) / RVFS_BSIZE - RVFS_NDIRECT - RVFS_NINDIRECT;
    uint32_t *top = (uint32_t *)(b + (uint64_t)ino(b, big)->addrs[RVFS_NDIRECT + 1] * RVFS_BSIZE);
    uint32_t *t = (uint32_t *)(b + (uint64_t)top[fb / RVFS_NINDIRECT] * RVFS_BSIZE);
    CHECK_EQ(b[(uint64_t)t[fb % RVFS_NINDIRECT] * RVFS_BSIZE + (3 * 1024 * 1024 + 4) % RVFS_BSIZE],
             (3 * 1024 * 1024 + 4) * 7L % 251);
    free(b);
    /* A tree that does not fit is refused. */
    FILE *devnull = fopen("/dev/null", "w");
    CHECK_EQ_INT(rvfs_mkfs(img, 600 << 10, dir, devnull), -1);
    fclose(devnull);
}

/* Makes a fresh image with one file "f" (of n bytes) and one directory
 * "d", applies corrupt to it, and expects fsck to report what. */
static void corrupt_case(const char *what, void (*corrupt)(uint8_t *b, long *len), const char *expect)
{
    write_host_file("f", 20000);
    CHECK_EQ_INT(rvfs_mkfs(img, 4 << 20, dir, stderr), 0);
    long len;
    uint8_t *b = load(&len);
    corrupt(b, &len);
    store(b, len);
    free(b);
    int r = fsck();
    check_note("%s: fsck found %d problem(s): %s", what, r, report);
    CHECK(r > 0);
    CHECK(strstr(report, expect) != 0);
    /* fsck -y repairs it, and a second fsck is clean; damage to the
     * superblock itself is only reported, never repaired. */
    if (strstr(report, "superblock") || strstr(report, "truncated") || strstr(report, "not an rvfs"))
        return;
    FILE *f = fmemopen(report, sizeof report - 1, "w");
    int fixed = rvfs_fsck_fix(img, 1, f);
    fclose(f);
    check_note("%s: fsck -y: %d left: %s", what, fixed, report);
    CHECK_EQ_INT(fixed, 0);
    CHECK_EQ_INT(fsck(), 0);
}

static void bad_magic(uint8_t *b, long *len) { (void)len, super(b)->magic = 0x12345678; }
static void bad_areas(uint8_t *b, long *len) { (void)len, super(b)->bmapstart++; }
static void truncated(uint8_t *b, long *len) { (void)b, *len = *len / 2; }
static void ptr_outside(uint8_t *b, long *len) { (void)len, ino(b, root_lookup(b, "f"))->addrs[3] = 99999999; }
static void ptr_meta(uint8_t *b, long *len) { (void)len, ino(b, root_lookup(b, "f"))->addrs[3] = super(b)->inodestart; }
static void twice(uint8_t *b, long *len)
{
    (void)len;
    struct rvfs_dinode *f = ino(b, root_lookup(b, "f"));
    f->addrs[4] = f->addrs[3];
}
static void bitmap_free(uint8_t *b, long *len)
{
    (void)len;
    uint32_t blk = ino(b, root_lookup(b, "f"))->addrs[0];
    b[(uint64_t)super(b)->bmapstart * RVFS_BSIZE + blk / 8] &= (uint8_t) ~(1 << (blk % 8));
}
static void bitmap_leak(uint8_t *b, long *len)
{
    (void)len;
    uint32_t blk = super(b)->size - 1;
    b[(uint64_t)super(b)->bmapstart * RVFS_BSIZE + blk / 8] |= (uint8_t)(1 << (blk % 8));
}
static void nlink_wrong(uint8_t *b, long *len) { (void)len, ino(b, root_lookup(b, "f"))->nlink = 3; }
static void orphan(uint8_t *b, long *len)
{
    (void)len;
    ino(b, 60)->type = 2; /* allocated, named nowhere */
    ino(b, 60)->nlink = 1;
}
/* d's ".." entry... and an entry in d naming the root: a loop. */
static void dir_loop(uint8_t *b, long *len)
{
    (void)len;
    struct rvfs_dinode *d = ino(b, root_lookup(b, "d"));
    struct rvfs_dirent *de = (struct rvfs_dirent *)(b + (uint64_t)d->addrs[0] * RVFS_BSIZE);
    de[2].inum = RVFS_ROOTINO;
    memcpy(de[2].name, "up", 3);
    d->size = 3 * sizeof *de;
}
static void no_dot(uint8_t *b, long *len)
{
    (void)len;
    struct rvfs_dinode *d = ino(b, root_lookup(b, "d"));
    struct rvfs_dirent *de = (struct rvfs_dirent *)(b + (uint64_t)d->addrs[0] * RVFS_BSIZE);
    de[0].inum = 0;
}
static void to_free_inode(uint8_t *b, long *len) { (void)len, ino(b, root_lookup(b, "f"))->type = 0; }
static void bad_log(uint8_t *b, long *len)
{
    (void)len;
    struct rvfs_logsuper *ls = (struct rvfs_logsuper *)(b + (uint64_t)super(b)->logstart * RVFS_BSIZE);
    ls->seq++; /* the checksum no longer matches */
}
static void bad_orphan(uint8_t *b, long *len)
{
    (void)len;
    ((uint32_t *)b)[0] = root_lookup(b, "f"); /* a named file on the orphan table (block 0) */
}

static void test_corrupt(void *arg)
{
    (void)arg;
    char p[512];
    snprintf(p, sizeof p, "%s/d", dir);
    mkdir(p, 0755);
    corrupt_case("bad magic", bad_magic, "not an rvfs image");
    corrupt_case("areas", bad_areas, "areas do not add up");
    corrupt_case("truncated", truncated, "image truncated");
    corrupt_case("pointer outside the disk", ptr_outside, "lies outside the data area");
    corrupt_case("pointer into the inodes", ptr_meta, "lies outside the data area");
    corrupt_case("block twice", twice, "used more than once");
    corrupt_case("used but free", bitmap_free, "in use but free in the bitmap");
    corrupt_case("leaked block", bitmap_leak, "nothing uses it");
    corrupt_case("nlink", nlink_wrong, "nlink is 3, but 1 names count");
    corrupt_case("orphan", orphan, "no directory names it");
    corrupt_case("directory loop", dir_loop, "reached twice");
    corrupt_case("no dot", no_dot, "has no \".\" entry");
    corrupt_case("entry to a free inode", to_free_inode, "which is free");
    corrupt_case("bad log superblock", bad_log, "the log superblock is damaged");
    corrupt_case("named orphan", bad_orphan, "the orphan table names inode");
    /* Not there at all, or empty: -1 or a report, never a crash. */
    snprintf(img, sizeof img, "%s/none.img", dir);
    CHECK_EQ_INT(fsck(), -1);
    FILE *f = fopen(img, "wb");
    fclose(f);
    CHECK(fsck() > 0);
    CHECK(strstr(report, "too small") != 0);
    snprintf(img, sizeof img, "%s.img", dir);
}

/* Committed records still in the log are checked as recovered, in
 * sequence; a record whose checksum does not match ends the chain. */
static void test_log_replay(void *arg)
{
    (void)arg;
    CHECK_EQ_INT(rvfs_mkfs(img, 4 << 20, 0, stderr), 0);
    long len;
    uint8_t *b = load(&len);
    struct rvfs_super *sb = super(b);
    /* Record 1: the root's inode block with root nlink changed to 7;
     * record 2 (after it) sets it to 9. Before replay the image is clean,
     * after it nlink is wrong. */
    uint32_t home = sb->inodestart;
    uint8_t blk[RVFS_BSIZE];
    memcpy(blk, b + (uint64_t)home * RVFS_BSIZE, RVFS_BSIZE);
    ((struct rvfs_dinode *)blk)[RVFS_ROOTINO].nlink = 7;
    rvfs_log_put(b, sb, 0, 1, 1, &home, blk);
    ((struct rvfs_dinode *)blk)[RVFS_ROOTINO].nlink = 9;
    rvfs_log_put(b, sb, 2, 2, 1, &home, blk);
    store(b, len);
    CHECK(fsck() > 0);
    CHECK(strstr(report, "2 committed records (2 blocks); checked as recovered") != 0);
    CHECK(strstr(report, "inode 1: nlink is 9") != 0);
    /* The second record's block damaged: only the first is replayed. */
    b[(uint64_t)(sb->logstart + 1 + 3) * RVFS_BSIZE + 7] ^= 1;
    store(b, len);
    CHECK(fsck() > 0);
    CHECK(strstr(report, "log record 1 (sequence 2) is incomplete or damaged") != 0);
    CHECK(strstr(report, "inode 1: nlink is 7") != 0);
    /* Out of sequence: nothing is replayed. */
    rvfs_log_super_put(b, sb, 5);
    store(b, len);
    free(b);
    CHECK_EQ_INT(fsck(), 0);
}

/* Every kind of damage rvfs corrupt makes below the superblock: fsck -y
 * leaves an image a second fsck finds clean. */
static void test_repair_kinds(void *arg)
{
    (void)arg;
    static const char *kinds[] = {"log-count", "log-home", "log-header",  "log-block",  "log-replay",
                                  "orphan",    "file",     "named-nlink", "root-nlink", "dir"};
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        CHECK_EQ_INT(rvfs_mkfs(img, 4 << 20, 0, stderr), 0);
        CHECK_EQ_INT(rvfs_corrupt(img, kinds[i], stderr), 0);
        FILE *f = fmemopen(report, sizeof report - 1, "w");
        int left = rvfs_fsck_fix(img, 1, f);
        fclose(f);
        check_note("%s: fsck -y: %s", kinds[i], report);
        CHECK_EQ_INT(left, 0);
        CHECK_EQ_INT(fsck(), 0);
    }
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/rvfs-test-%d", (int)getpid());
    snprintf(img, sizeof img, "%s.img", dir);
    mkdir(dir, 0755);
    check_group("mkfs of an empty file system; fsck finds it clean", test_empty, 0);
    check_group("mkfs of a tree: files, a directory, hard and symbolic links, 3 MiB", test_tree, 0);
    check_group("fsck of corrupt images: each problem named", test_corrupt, 0);
    check_group("fsck replays a committed log before checking", test_log_replay, 0);
    check_group("fsck -y repairs every kind of damage rvfs corrupt makes", test_repair_kinds, 0);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, img);
    if (system(cmd) != 0)
        fprintf(stderr, "could not clean up %s\n", dir);
    return check_summary();
}
