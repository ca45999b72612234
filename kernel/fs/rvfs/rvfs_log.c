/* The disk file system's write-ahead log.
 *
 * A transaction is what one system call changes (rvfs_log_begin ..
 * rvfs_log_end). Changed blocks are not written home while it runs: each
 * rvfs_log_write copies the block into `copy`, one slot per distinct block
 * (a block changed twice takes one slot). Several system calls may run at
 * once; they all join the transaction being built, and it is committed
 * when the last of them ends (group commit). A new one waits while a
 * commit is under way, or while the log could overflow if every running
 * call used its full RVFS_OP_BLOCKS.
 *
 * Commit (see rvfs_format.h for the header):
 *   1. write every copy to its log block;            flush
 *   2. write the header with n and the home blocks;  flush  <- commit point
 *   3. write every copy to its home block;           flush
 *   4. write the header with n = 0;                  flush
 * A crash before 2 completes leaves the old state (the header still says
 * 0); after it, recovery at the next mount redoes 3 and 4. The flush after
 * 4 keeps the next transaction's step 1 from reaching the disk before the
 * old header is cleared, which could otherwise pair the old home list with
 * new log contents.
 *
 * Until a block is home, the buffer cache may evict its buffer: the cache
 * then asks log_fill (bio_set_fill) before reading the disk, so a reader
 * always sees the newest contents. Copies are made under log.lock and are
 * only written out while no call is running, so they never change under
 * the commit. */
#include "rvfs.h"
#include "../bio.h"
#include "../../panic.h"
#include "../../printk.h"
#include "../../proc.h"
#include "../../spinlock.h"
#include "../../string.h"

static struct {
    struct spinlock lock;
    int active;      /* a file system is mounted */
    uint32_t start;  /* the header block; log block i is start + 1 + i */
    uint32_t size;   /* log blocks */
    int outstanding; /* calls inside the current transaction */
    int committing;  /* a commit is writing; nobody may join */
    uint32_t n;      /* blocks in the transaction */
    uint32_t home[RVFS_LOG_MAX];
    uint64_t commits, logged;
} log = {.lock = {0, "rvfs_log", 0}};

/* The copies, in kernel memory that stays put (the driver DMAs from it). */
static uint8_t copy[RVFS_LOG_MAX][RVFS_BSIZE] __attribute__((aligned(64)));

static int log_fill(uint32_t blockno, void *dst)
{
    int found = 0;
    spin_lock(&log.lock);
    for (uint32_t i = 0; i < log.n; i++)
        if (log.home[i] == blockno) {
            memcpy(dst, copy[i], RVFS_BSIZE);
            found = 1;
            break;
        }
    spin_unlock(&log.lock);
    return found;
}

void rvfs_log_init(const struct rvfs_super *sb)
{
    log.start = sb->logstart;
    log.size = sb->nlog < RVFS_LOG_MAX ? sb->nlog : RVFS_LOG_MAX;
    log.n = 0;
    bio_set_fill(log_fill);
    log.active = 1;
}

static int write_header(uint32_t n, const uint32_t *home)
{
    static struct rvfs_loghead hdr __attribute__((aligned(64))); /* only the committer and mount use it */
    _Static_assert(sizeof hdr <= RVFS_BSIZE, "one block");
    static uint8_t block[RVFS_BSIZE] __attribute__((aligned(64)));
    memset(&hdr, 0, sizeof hdr);
    hdr.magic = RVFS_MAGIC;
    hdr.n = n;
    for (uint32_t i = 0; i < n; i++)
        hdr.home[i] = home[i];
    memset(block, 0, sizeof block);
    memcpy(block, &hdr, sizeof hdr);
    return bwrite_data(log.start, block) == 0 && bsync() == 0 ? 0 : -1;
}

int rvfs_log_recover(const struct rvfs_super *sb)
{
    struct buf *b = bread(sb->logstart);
    if (!b)
        return -1;
    static struct rvfs_loghead hdr;
    memcpy(&hdr, b->data, sizeof hdr);
    brelse(b);
    if (hdr.magic != RVFS_MAGIC || hdr.n > sb->nlog || hdr.n > RVFS_LOG_MAX)
        return -1;
    for (uint32_t i = 0; i < hdr.n; i++)
        if (hdr.home[i] < sb->inodestart || hdr.home[i] >= sb->size)
            return -1;
    for (uint32_t i = 0; i < hdr.n; i++) {
        struct buf *from = bread(sb->logstart + 1 + i);
        if (!from)
            return -1;
        struct buf *to = bclaim(hdr.home[i]);
        if (to) {
            memcpy(to->data, from->data, RVFS_BSIZE);
            bwrite(to);
            brelse(to);
        }
        brelse(from);
    }
    if (hdr.n && bsync() < 0)
        return -1;
    uint32_t n = hdr.n;
    log.start = sb->logstart;
    if (n && write_header(0, 0) < 0)
        return -1;
    return (int)n;
}

static void commit(void)
{
    if (log.n == 0)
        return;
    for (uint32_t i = 0; i < log.n; i++)
        bwrite_data(log.start + 1 + i, copy[i]);
    bsync();
    if (write_header(log.n, log.home) < 0) {
        printk("rvfs: cannot write the log header; the last transaction may be lost\n");
        return;
    }
    for (uint32_t i = 0; i < log.n; i++)
        bwrite_data(log.home[i], copy[i]);
    bsync();
    write_header(0, 0);
    log.commits++;
    log.logged += log.n;
}

/* Per process, so that calls nest: only the outermost begin reserves
 * room, only the outermost end may commit. Before any process runs
 * (never, in practice: mount runs in the first one) there is no nesting
 * to track and no one to race with. */
static int *depth(void)
{
    struct proc *p = myproc();
    return p ? &p->fs_op_depth : 0;
}

void rvfs_log_begin(void)
{
    if (!log.active)
        return;
    int *d = depth();
    if (d && (*d)++ > 0)
        return;
    spin_lock(&log.lock);
    while (log.committing || log.n + (uint32_t)(log.outstanding + 1) * RVFS_OP_BLOCKS > log.size)
        sleep_on(&log, &log.lock);
    log.outstanding++;
    spin_unlock(&log.lock);
}

void rvfs_log_end(void)
{
    if (!log.active)
        return;
    int *d = depth();
    if (d && --(*d) > 0)
        return;
    spin_lock(&log.lock);
    int mine = --log.outstanding == 0;
    if (mine)
        log.committing = 1;
    else
        wakeup(&log); /* this call's reservation is free again */
    spin_unlock(&log.lock);
    if (!mine)
        return;
    commit(); /* nobody else touches log.n, home or copy while committing */
    spin_lock(&log.lock);
    log.n = 0;
    log.committing = 0;
    wakeup(&log);
    spin_unlock(&log.lock);
}

void rvfs_log_write(struct buf *b)
{
    spin_lock(&log.lock);
    if (log.outstanding < 1)
        panic("rvfs_log_write: block %u changed outside a transaction", b->blockno);
    uint32_t i = 0;
    while (i < log.n && log.home[i] != b->blockno)
        i++;
    if (i == log.n) {
        if (log.n >= log.size)
            panic("rvfs_log_write: transaction larger than the log");
        log.home[log.n++] = b->blockno;
    }
    memcpy(copy[i], b->data, RVFS_BSIZE);
    spin_unlock(&log.lock);
}

void rvfs_log_stat(uint64_t *commits, uint64_t *blocks)
{
    *commits = log.commits;
    *blocks = log.logged;
}
