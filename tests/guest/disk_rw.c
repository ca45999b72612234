/* The disk through the buffer cache (the disk system call, rvos/disk.h).
 * One group per run, named by the first argument:
 *
 *   concurrent  four writers, then four readers, then four processes that
 *               each write and re-read their own blocks while the others
 *               do the same, all at once on four harts, over 8 times more
 *               blocks than the cache holds; every block checked
 *   counters    a first read is a miss and a device read, a re-read is a
 *               hit, a written block reads back as a hit, a block pushed
 *               out by NBUF others is a miss again
 *   range       block numbers at and past the end, bad pointers and bad
 *               operations fail with -1, and the disk still works after
 *   persist_write / persist_check
 *               the first boot writes a pattern (the last block included)
 *               and syncs, the second boot on the same image finds it
 *   nodisk      booted without a disk: stat says so, reads fail with -1
 *   restricted  booted without testmode: a child may not read raw blocks,
 *               init may
 *
 * The scratch image starts as zeros (cmake/run-guest-disk.sh). */
#include "testlib.h"

#define BASE 100 /* first block the concurrent group uses */
#define NPROCS 4
#define KADDR ((void *)0xffffffc080200000UL)
#define UNMAPPED ((void *)0x3000000000L)

static struct diskstat st;
static unsigned char buf[DISK_BSIZE], want[DISK_BSIZE];

static void stat_now(void) { CHECK(disk(DISK_STAT, 0, &st) == 0, "disk(DISK_STAT)"); }

/* A pattern that names its block and its generation: a block written to
 * the wrong place, a stale block or a torn block all differ from it. */
static void pattern(unsigned char *p, unsigned long block, unsigned gen)
{
    for (int i = 0; i < DISK_BSIZE; i++)
        p[i] = (unsigned char)(block * 131 + (unsigned long)i * 7 + gen * 29 + (i >> 8));
    p[0] = (unsigned char)block;
    p[1] = (unsigned char)(block >> 8);
    p[2] = (unsigned char)(block >> 16);
    p[3] = (unsigned char)gen;
}

/* 0 if the block reads back as pattern(block, gen), else 1 (and a line). */
static int check_block(unsigned long block, unsigned gen)
{
    unsigned char got[DISK_BSIZE], exp[DISK_BSIZE];
    if (disk(DISK_READ, block, got) != 0) {
        printf("read of block %lu failed\n", block);
        return 1;
    }
    pattern(exp, block, gen);
    if (memcmp(got, exp, DISK_BSIZE) != 0) {
        printf("block %lu: want generation %u, found block %u generation %u\n", block, gen,
               got[0] | got[1] << 8 | got[2] << 16, got[3]);
        return 1;
    }
    return 0;
}

static int write_block(unsigned long block, unsigned gen)
{
    unsigned char p[DISK_BSIZE];
    pattern(p, block, gen);
    return disk(DISK_WRITE, block, p);
}

static int nblocks_concurrent(void) { return 8 * (int)st.nbuf; }

/* Writer w: every NPROCS-th block, generation 1. */
static int writer(long w)
{
    int bad = 0;
    for (int b = (int)w; b < nblocks_concurrent(); b += NPROCS)
        bad += write_block(BASE + b, 1) != 0;
    return bad;
}

/* Reader r: every block, starting at a different place for each. */
static int reader(long r)
{
    int n = nblocks_concurrent(), bad = 0;
    for (int k = 0; k < n; k++)
        bad += check_block(BASE + (k + r * n / NPROCS) % n, 1);
    return bad;
}

/* Each process rewrites its own blocks (generation 2) and reads each back
 * at once, while the others evict buffers with theirs. */
static int rewriter(long w)
{
    int bad = 0;
    for (int b = (int)w; b < nblocks_concurrent(); b += NPROCS) {
        bad += write_block(BASE + b, 2) != 0;
        bad += check_block(BASE + b, 2);
    }
    return bad;
}

static void run_all(int (*fn)(long), const char *what)
{
    int pids[NPROCS];
    for (int i = 0; i < NPROCS; i++)
        pids[i] = spawn(fn, i);
    for (int i = 0; i < NPROCS; i++) {
        int s = wait_status(pids[i]);
        CHECK(s == 0, "%s %d: %d bad blocks (status)", what, i, s);
    }
}

static void test_concurrent(void)
{
    stat_now();
    CHECK(st.present, "no disk");
    CHECK((unsigned long)(BASE + nblocks_concurrent()) <= st.blocks, "disk too small: %lu blocks", st.blocks);
    unsigned long w0 = st.writes;
    run_all(writer, "writer");
    run_all(reader, "reader");
    run_all(rewriter, "rewriter");
    int bad = 0;
    for (int b = 0; b < nblocks_concurrent(); b++)
        bad += check_block(BASE + b, 2);
    CHECK(bad == 0, "%d blocks wrong after the rewrite", bad);
    /* Blocks BASE-1 and past the range were never written: still zeros. */
    CHECK(disk(DISK_READ, BASE - 1, buf) == 0, "read below the range");
    memset(want, 0, sizeof want);
    CHECK(memcmp(buf, want, DISK_BSIZE) == 0, "block %d changed", BASE - 1);
    CHECK(disk(DISK_READ, BASE + nblocks_concurrent(), buf) == 0, "read past the range");
    CHECK(memcmp(buf, want, DISK_BSIZE) == 0, "block %d changed", BASE + nblocks_concurrent());
    stat_now();
    CHECK(st.writes - w0 == 2 * (unsigned long)nblocks_concurrent(), "%lu device writes, expected %d", st.writes - w0,
          2 * nblocks_concurrent());
    CHECK(st.errors == 0, "%lu device errors", st.errors);
    printf("disk_rw: %d blocks by %d processes; %lu hits, %lu misses, %lu reads, %lu writes, "
           "%lu requests, at most %lu in flight\n",
           nblocks_concurrent(), NPROCS, st.hits, st.misses, st.reads, st.writes, st.requests, st.max_inflight);
}

static void test_counters(void)
{
    stat_now();
    CHECK(st.present && st.block_size == DISK_BSIZE && st.nbuf > 0, "stat: present %lu, block size %lu, %lu buffers",
          st.present, st.block_size, st.nbuf);
    struct diskstat a = st;
    CHECK(disk(DISK_READ, 7, buf) == 0, "first read of block 7");
    stat_now();
    CHECK(st.misses == a.misses + 1 && st.reads == a.reads + 1 && st.hits == a.hits,
          "first read: misses +%lu, reads +%lu, hits +%lu", st.misses - a.misses, st.reads - a.reads, st.hits - a.hits);
    a = st;
    CHECK(disk(DISK_READ, 7, buf) == 0, "second read of block 7");
    stat_now();
    CHECK(st.hits == a.hits + 1 && st.misses == a.misses && st.reads == a.reads,
          "re-read: hits +%lu, misses +%lu, reads +%lu", st.hits - a.hits, st.misses - a.misses, st.reads - a.reads);

    a = st;
    CHECK(write_block(9, 5) == 0, "write block 9");
    stat_now();
    CHECK(st.writes == a.writes + 1 && st.reads == a.reads, "write: writes +%lu, reads +%lu", st.writes - a.writes,
          st.reads - a.reads);
    a = st;
    CHECK(check_block(9, 5) == 0, "block 9 reads back");
    stat_now();
    CHECK(st.hits == a.hits + 1 && st.reads == a.reads, "read after write: hits +%lu, reads +%lu", st.hits - a.hits,
          st.reads - a.reads);

    /* NBUF other blocks push block 9 out (least recently used first). */
    for (unsigned long b = 0; b < st.nbuf; b++)
        CHECK(disk(DISK_READ, 1000 + b, buf) == 0, "read block %lu", 1000 + b);
    stat_now();
    a = st;
    CHECK(check_block(9, 5) == 0, "block 9 reads back from the disk");
    stat_now();
    CHECK(st.misses == a.misses + 1 && st.reads == a.reads + 1, "after eviction: misses +%lu, reads +%lu",
          st.misses - a.misses, st.reads - a.reads);
    CHECK(st.irqs > 0 && st.requests >= st.reads + st.writes, "%lu interrupts, %lu requests", st.irqs, st.requests);
}

static void test_range(void)
{
    stat_now();
    unsigned long n = st.blocks;
    CHECK(n > 0, "no blocks");
    /* At and just past the end, far past it, and past 32 bits. */
    const unsigned long bad_blocks[] = {n, n + 1, n + 2, n * 2, 1UL << 32, (1UL << 32) + 5, 1UL << 40, ~0UL};
    for (unsigned i = 0; i < sizeof bad_blocks / sizeof bad_blocks[0]; i++) {
        CHECK(disk(DISK_READ, bad_blocks[i], buf) == -1, "read of block %lu (of %lu)", bad_blocks[i], n);
        CHECK(disk(DISK_WRITE, bad_blocks[i], buf) == -1, "write of block %lu (of %lu)", bad_blocks[i], n);
    }
    /* The last block is fine. */
    CHECK(write_block(n - 1, 3) == 0, "write the last block");
    CHECK(check_block(n - 1, 3) == 0, "read the last block");
    /* Bad buffers and bad operations. */
    CHECK(disk(DISK_READ, 5, KADDR) == -1, "read into kernel memory");
    CHECK(disk(DISK_READ, 5, UNMAPPED) == -1, "read into unmapped memory");
    CHECK(disk(DISK_WRITE, 5, KADDR) == -1, "write from kernel memory");
    CHECK(disk(DISK_WRITE, 5, UNMAPPED) == -1, "write from unmapped memory");
    CHECK(disk(DISK_STAT, 0, KADDR) == -1, "stat into kernel memory");
    CHECK(disk(4, 5, buf) == -1 && disk(-1, 5, buf) == -1, "unknown operations");
    /* A failed write from a bad pointer left the block as it was (zeros). */
    memset(want, 0, sizeof want);
    CHECK(disk(DISK_READ, 5, buf) == 0 && memcmp(buf, want, DISK_BSIZE) == 0, "block 5 still zeros");
    CHECK(write_block(5, 4) == 0 && check_block(5, 4) == 0, "the disk still works");
    stat_now();
    CHECK(st.errors == 0, "%lu device errors (range checks must stop bad requests first)", st.errors);
}

#define PERSIST_N 300

static unsigned long persist_block(int i)
{
    /* Spread over the disk, the last block included. */
    return i == PERSIST_N - 1 ? st.blocks - 1 : (unsigned long)i * (st.blocks / PERSIST_N);
}

static void test_persist_write(void)
{
    stat_now();
    CHECK(st.present && st.blocks >= PERSIST_N, "no disk or too small");
    for (int i = 0; i < PERSIST_N; i++)
        CHECK(write_block(persist_block(i), 7) == 0, "write block %lu", persist_block(i));
    CHECK(disk(DISK_SYNC, 0, 0) == 0, "sync");
    stat_now();
    CHECK(st.syncs == 1 && st.errors == 0, "%lu syncs, %lu errors", st.syncs, st.errors);
}

static void test_persist_check(void)
{
    stat_now();
    CHECK(st.present && st.blocks >= PERSIST_N, "no disk or too small");
    /* The boot read one block, the superblock, looking for a file system
     * to mount at /disk (there is none here), and wrote nothing. */
    CHECK(st.reads == 1 && st.writes == 0, "a fresh boot has done %lu reads, %lu writes", st.reads, st.writes);
    int bad = 0;
    for (int i = 0; i < PERSIST_N; i++)
        bad += check_block(persist_block(i), 7);
    CHECK(bad == 0, "%d of %d blocks did not survive the reboot", bad, PERSIST_N);
    stat_now();
    CHECK(st.misses == PERSIST_N + 1, "%lu misses: every block came from the disk", st.misses);
}

static void test_nodisk(void)
{
    stat_now();
    CHECK(!st.present && st.blocks == 0, "present %lu, %lu blocks", st.present, st.blocks);
    CHECK(disk(DISK_READ, 0, buf) == -1, "read without a disk");
    CHECK(disk(DISK_WRITE, 0, buf) == -1, "write without a disk");
    CHECK(disk(DISK_SYNC, 0, 0) == -1, "sync without a disk");
}

static int child_read(long unused)
{
    (void)unused;
    return disk(DISK_READ, 0, buf) == -1 && disk(DISK_WRITE, 0, buf) == -1 && disk(DISK_SYNC, 0, 0) == -1 &&
                   disk(DISK_STAT, 0, &st) == 0
               ? 0
               : 1;
}

static void test_restricted(void)
{
    CHECK(wait_status(spawn(child_read, 0)) == 0, "a child read or wrote raw blocks without testmode");
    CHECK(disk(DISK_READ, 0, buf) == 0, "init may read raw blocks");
}

static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {
    {"concurrent", test_concurrent},       {"counters", test_counters},           {"range", test_range},
    {"persist_write", test_persist_write}, {"persist_check", test_persist_check}, {"nodisk", test_nodisk},
    {"restricted", test_restricted},
};

int main(int argc, char **argv)
{
    const char *want_group = argc > 1 ? argv[1] : "";
    test_begin(want_group);
    int found = 0;
    for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(want_group, groups[i].name) == 0) {
            groups[i].run();
            found = 1;
        }
    CHECK(found, "no test group named '%s'", want_group);
    return test_end();
}
