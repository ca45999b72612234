/* The disk file system's write-ahead log (docs/architecture.md 8.7; the
 * format is in rvfs_format.h).
 *
 * A transaction is what one system call changes (rvfs_log_begin ..
 * rvfs_log_end). Changed blocks are not written home while it runs: each
 * rvfs_log_write copies the block into `copy`, one slot per distinct block
 * (a block changed twice takes one slot). Several calls may run at once;
 * they all join the transaction being built, which is committed when the
 * last of them ends (group commit). Every call returns only once its
 * transaction is on the disk (or has failed), so nothing is acknowledged
 * that is not durable.
 *
 * Room. A call is admitted only while every running call can still add
 * RVFS_OP_BLOCKS blocks without the transaction outgrowing the log; each
 * call's own new blocks are counted (calls[]), and a write ends its slice
 * early when its count nears RVFS_OP_BLOCKS (rvfs_log_room), so that no
 * workload, however fragmented the disk, can overflow the log.
 *
 * Commit. Records are laid end to end in the log area:
 *   1. write the n copies and the descriptor (sequence number, home
 *      list, checksum over all of it) at the log's head;  flush  <- commit
 *   2. write the copies home (no flush).
 * One flush per commit. Home writes are made durable lazily: only when the
 * next record does not fit before the end of the log (a checkpoint) is the
 * device flushed and the log superblock rewritten with the sequence number
 * the record at the start must carry; the record written there then makes
 * the new superblock durable with its own commit flush. A crash at any
 * moment leaves a chain of complete, checksummed records that recovery
 * replays in order (rvfs_log_open), and nothing after them.
 *
 * Errors. Any failed write or flush switches the file system read-only
 * (rvfs_fail), with one console line. A commit that fails before its
 * flush returns leaves the transaction out: its blocks are dropped from
 * the buffer cache and the inodes are read again, so the file system in
 * memory is the one on the disk, and the calls in it return -1. A home
 * write that fails after the commit point leaves the record in the log
 * (nothing overwrites it any more) for the next mount to replay, and its
 * copies stay here to serve reads (log_fill).
 *
 * Until a block is home, the buffer cache may evict its buffer: the cache
 * then asks log_fill (bio_set_fill) before reading the disk, so a reader
 * always sees the newest contents. */
#include "rvfs.h"
#include "../bio.h"
#include "../../panic.h"
#include "../../printk.h"
#include "../../proc.h"
#include "../../spinlock.h"
#include "../../string.h"
#include "../../../include/rvos/disk.h"

#define MAXCALLS (RVFS_LOG_MAX / RVFS_OP_BLOCKS) /* calls admitted at once, at most */

static struct {
    struct spinlock lock;
    int active;      /* a file system is mounted */
    int readonly;    /* set once, by rvfs_fail or a read-only mount; never cleared */
    uint32_t start;  /* the log superblock; record-area block i is start + 1 + i */
    uint32_t size;   /* blocks in the record area */
    uint32_t head;   /* where the next record goes */
    uint32_t seq;    /* the next record's sequence number */
    int outstanding; /* calls inside the current transaction */
    int committing;  /* a commit is writing; nobody may join */
    uint32_t n;      /* blocks in the transaction */
    uint32_t home[RVFS_LOG_MAX];
    uint64_t txn;  /* the transaction being built */
    uint64_t done; /* transactions up to this one are committed or failed */
    int result;    /* transaction done's: 0, or -1 if its changes were dropped */
    int waiting;   /* calls of transaction done that have not seen result yet */
    int kept;      /* a committed record whose home writes failed: n, home and copy stay */
    struct {
        const struct proc *who;
        uint32_t used; /* blocks this call added to the transaction */
        int busy;
    } calls[MAXCALLS];
    uint64_t commits, logged, flushes, checkpoints;
    uint32_t call_max; /* the most blocks one call added */
} log = {.lock = {0, "rvfs_log", 0}};

/* The copies, in kernel memory that stays put (the driver DMAs from it),
 * and one block for a descriptor or the log superblock. */
static uint8_t copy[RVFS_LOG_MAX][RVFS_BSIZE] __attribute__((aligned(64)));
static uint8_t meta[RVFS_BSIZE] __attribute__((aligned(64)));
static uint32_t crc_table[256];

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

int rvfs_readonly(void) { return __atomic_load_n(&log.readonly, __ATOMIC_ACQUIRE); }

void rvfs_fail(const char *why)
{
    spin_lock(&log.lock);
    int first = !log.readonly;
    __atomic_store_n(&log.readonly, 1, __ATOMIC_RELEASE);
    spin_unlock(&log.lock);
    if (first)
        printk("rvfs: %s; %s is read-only from now on\n", why, rvfs_mountpoint);
}

static int flush(void)
{
    log.flushes++;
    return bsync();
}

/* The log superblock saying the record at the start must carry seq. */
static int write_super(uint32_t seq)
{
    struct rvfs_logsuper ls = {.magic = RVFS_LOG_MAGIC, .seq = seq};
    ls.csum = rvfs_crc(crc_table, 0, &ls, 2 * sizeof(uint32_t));
    memset(meta, 0, sizeof meta);
    memcpy(meta, &ls, sizeof ls);
    return bwrite_data(log.start, meta);
}

static int home_ok(const struct rvfs_super *sb, uint32_t b)
{
    return b == RVFS_ORPHANS || (b >= sb->inodestart && b < sb->size);
}

/* The checksum of the record whose descriptor is d (its csum field is
 * taken as 0) over blocks, the record's n blocks. */
static uint32_t record_crc(const struct rvfs_logrec *d, uint32_t (*block)(uint32_t i, const void **data, void *arg),
                           void *arg)
{
    static uint8_t desc[RVFS_BSIZE]; /* only the committer and mount use it */
    memset(desc, 0, sizeof desc);
    memcpy(desc, d, sizeof *d);
    ((struct rvfs_logrec *)desc)->csum = 0;
    uint32_t crc = rvfs_crc(crc_table, 0, desc, sizeof desc);
    for (uint32_t i = 0; i < d->n; i++) {
        const void *data;
        if (block(i, &data, arg) != 0)
            return ~d->csum; /* unreadable: cannot match */
        crc = rvfs_crc(crc_table, crc, data, RVFS_BSIZE);
    }
    return crc;
}

/* ---- recovery */

struct scan {
    uint32_t first; /* the record's first logged block */
    struct buf *b;
};

static uint32_t scan_block(uint32_t i, const void **data, void *arg)
{
    struct scan *s = arg;
    if (s->b)
        brelse(s->b);
    s->b = bread(s->first + i);
    *data = s->b ? s->b->data : 0;
    return s->b ? 0 : 1;
}

/* Replays the record at position pos (descriptor d, checked) home. */
static int replay(uint32_t pos, const struct rvfs_logrec *d)
{
    for (uint32_t i = 0; i < d->n; i++) {
        struct buf *from = bread(log.start + 1 + pos + 1 + i);
        struct buf *to = from ? bclaim(d->home[i]) : 0;
        int bad = !to;
        if (to) {
            memcpy(to->data, from->data, RVFS_BSIZE);
            bad = bwrite(to) < 0;
            brelse(to);
        }
        if (from)
            brelse(from);
        if (bad)
            return -1;
    }
    return 0;
}

int rvfs_log_open(const struct rvfs_super *sb, int readonly, int *replayed)
{
    static struct rvfs_logrec d; /* only mount uses it */
    rvfs_crc_table(crc_table);
    log.start = sb->logstart;
    log.size = sb->nlog < RVFS_LOG_MAX ? sb->nlog : RVFS_LOG_MAX;
    *replayed = 0;
    struct buf *b = bread(log.start);
    if (!b) {
        printk("rvfs: cannot read the log; /disk not mounted\n");
        return -1;
    }
    struct rvfs_logsuper ls;
    memcpy(&ls, b->data, sizeof ls);
    brelse(b);
    int legacy = ls.magic == RVFS_MAGIC && ls.seq == 0; /* an old image's clean log header */
    if (legacy) {
        ls.seq = 1;
    } else if (ls.magic != RVFS_LOG_MAGIC || ls.csum != rvfs_crc(crc_table, 0, &ls, 2 * sizeof(uint32_t))) {
        printk("rvfs: the log superblock is damaged; /disk not mounted\n");
        return -1;
    }
    uint32_t pos = 0, seq = ls.seq, blocks = 0;
    int records = 0;
    for (;;) {
        if (pos + 1 >= log.size)
            break;
        if (!(b = bread(log.start + 1 + pos))) {
            printk("rvfs: cannot read the log; /disk not mounted\n");
            return -1;
        }
        memcpy(&d, b->data, sizeof d);
        brelse(b);
        if (d.magic != RVFS_REC_MAGIC || d.seq != seq)
            break; /* the end of the chain */
        int sane = d.n >= 1 && d.n <= log.size - 1 - pos;
        for (uint32_t i = 0; sane && i < d.n; i++)
            sane = home_ok(sb, d.home[i]);
        struct scan s = {log.start + 1 + pos + 1, 0};
        int match = sane && record_crc(&d, scan_block, &s) == d.csum;
        if (s.b)
            brelse(s.b);
        if (!match) {
            printk("rvfs: log record %d (sequence %u) is incomplete or damaged: not replayed\n", records, seq);
            break;
        }
        if (readonly) {
            printk("rvfs: the log holds committed changes and the disk is read-only; /disk not mounted\n");
            return -1;
        }
        if (replay(pos, &d) < 0) {
            printk("rvfs: cannot replay the log (a disk error); /disk not mounted\n");
            return -1;
        }
        records++;
        blocks += d.n;
        pos += 1 + d.n;
        seq++;
    }
    log.seq = seq;
    log.head = 0;
    /* Replayed records must be home for good before the record area is
     * reused; an old image gets a log superblock of the new kind. */
    if (!readonly && (records || legacy) && ((records && flush() < 0) || write_super(seq) < 0 || flush() < 0)) {
        printk("rvfs: cannot write the log (a disk error); /disk not mounted\n");
        return -1;
    }
    log.n = 0;
    log.txn = 1;
    log.done = 0;
    log.waiting = 0;
    log.readonly = readonly;
    bio_set_fill(log_fill);
    log.active = 1;
    *replayed = (int)blocks;
    return records;
}

/* ---- commit */

static uint32_t copy_block(uint32_t i, const void **data, void *arg)
{
    (void)arg;
    *data = copy[i];
    return 0;
}

/* Makes every home write so far durable and starts the record area
 * again from its first block. */
static int checkpoint(void)
{
    if (flush() < 0 || write_super(log.seq) < 0)
        return -1;
    log.head = 0;
    log.checkpoints++;
    return 0;
}

/* Writes the transaction: 0 when it is committed and home, 1 when it is
 * committed but a home write failed, -1 when it is not committed. */
static int commit(void)
{
    if (log.head + 1 + log.n > log.size && checkpoint() < 0) {
        rvfs_fail("cannot checkpoint the log (a disk error)");
        return -1;
    }
    struct rvfs_logrec *d = (struct rvfs_logrec *)meta;
    memset(meta, 0, sizeof meta);
    d->magic = RVFS_REC_MAGIC;
    d->seq = log.seq;
    d->n = log.n;
    memcpy(d->home, log.home, log.n * sizeof log.home[0]);
    d->csum = record_crc(d, copy_block, 0);
    uint32_t at = log.start + 1 + log.head;
    int bad = 0;
    for (uint32_t i = 0; i < log.n && !bad; i++)
        bad = bwrite_data(at + 1 + i, copy[i]) < 0;
    if (bad || bwrite_data(at, meta) < 0 || flush() < 0) {
        rvfs_fail("cannot write the log (a disk error)");
        return -1;
    }
    log.head += 1 + log.n;
    log.seq++;
    log.commits++;
    log.logged += log.n;
    for (uint32_t i = 0; i < log.n; i++)
        if (bwrite_data(log.home[i], copy[i]) < 0) {
            rvfs_fail("cannot write a block home (a disk error); the log keeps it for the next mount");
            return 1;
        }
    return 0;
}

/* Drops failed transaction txn's blocks from the cache and the inodes
 * from memory, so that what is read next is what the disk holds. */
static void discard(uint64_t txn)
{
    for (uint32_t i = 0; i < log.n; i++)
        bio_invalidate(log.home[i]);
    rvfs_inodes_reload(txn);
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

static int call_slot(void)
{
    const struct proc *p = myproc();
    for (int i = 0; i < MAXCALLS; i++)
        if (log.calls[i].busy && log.calls[i].who == p)
            return i;
    return -1;
}

void rvfs_log_begin(void)
{
    if (!log.active)
        return;
    int *d = depth();
    if (d && (*d)++ > 0)
        return;
    spin_lock(&log.lock);
    for (;;) {
        if (log.committing || log.waiting)
            sleep_on(&log, &log.lock);
        else if (log.kept)
            break; /* read-only for good: nothing will be logged, nothing to wait for */
        else if (log.n + (uint32_t)(log.outstanding + 1) * RVFS_OP_BLOCKS > log.size - 1)
            sleep_on(&log, &log.lock);
        else
            break;
    }
    log.outstanding++;
    for (int i = 0; i < MAXCALLS; i++)
        if (!log.calls[i].busy) {
            log.calls[i].busy = 1;
            log.calls[i].who = myproc();
            log.calls[i].used = 0;
            break;
        }
    spin_unlock(&log.lock);
}

int rvfs_log_end(void)
{
    if (!log.active)
        return 0;
    int *d = depth();
    if (d && --(*d) > 0)
        return 0;
    spin_lock(&log.lock);
    uint64_t mine = log.txn;
    int slot = call_slot();
    if (slot >= 0)
        log.calls[slot].busy = 0;
    if (--log.outstanding > 0) {
        /* Wait for the commit; new calls wait until every such call has
         * seen how it went. */
        wakeup(&log); /* this call's reservation is free again */
        log.waiting++;
        while (log.done < mine)
            sleep_on(&log, &log.lock);
        int r = log.result;
        if (--log.waiting == 0)
            wakeup(&log);
        spin_unlock(&log.lock);
        return r;
    }
    log.committing = 1;
    int ro = log.readonly, kept = log.kept;
    spin_unlock(&log.lock);
    /* Nobody else touches n, home or copy while committing. Read-only, a
     * transaction holds only blocks changed before the switch: dropped. */
    int r = kept ? 0 : ro ? (log.n ? -1 : 0) : log.n ? commit() : 0;
    if (r < 0)
        discard(mine); /* before anyone in it returns: fsync sees the count */
    spin_lock(&log.lock);
    if (r == 1)
        log.kept = 1; /* committed, not home: copies serve reads from now on */
    else if (!kept)
        log.n = 0;
    log.result = r < 0 ? -1 : 0;
    log.done = mine;
    log.txn++;
    log.committing = 0;
    wakeup(&log);
    spin_unlock(&log.lock);
    return r < 0 ? -1 : 0;
}

void rvfs_log_write(struct buf *b)
{
    spin_lock(&log.lock);
    if (log.outstanding < 1)
        panic("rvfs_log_write: block %u changed outside a transaction", b->blockno);
    if (log.readonly) {
        /* Nothing more reaches the disk: forget the change. */
        b->valid = 0;
        spin_unlock(&log.lock);
        return;
    }
    uint32_t i = 0;
    while (i < log.n && log.home[i] != b->blockno)
        i++;
    if (i == log.n) {
        if (log.n >= log.size - 1) {
            /* The reservations make this impossible; should it happen, the
             * transaction is dropped, not the kernel. */
            b->valid = 0;
            spin_unlock(&log.lock);
            rvfs_fail("a transaction outgrew the log (a bug)");
            return;
        }
        log.home[log.n++] = b->blockno;
        int slot = call_slot();
        if (slot >= 0 && ++log.calls[slot].used > log.call_max)
            log.call_max = log.calls[slot].used;
    }
    memcpy(copy[i], b->data, RVFS_BSIZE);
    spin_unlock(&log.lock);
}

/* The caller's call keeps the transaction from ending, so txn holds still. */
uint64_t rvfs_log_txn(void) { return __atomic_load_n(&log.txn, __ATOMIC_RELAXED); }

uint32_t rvfs_log_room(void)
{
    if (!log.active)
        return RVFS_OP_BLOCKS;
    spin_lock(&log.lock);
    int slot = call_slot();
    uint32_t used = slot >= 0 ? log.calls[slot].used : RVFS_OP_BLOCKS;
    spin_unlock(&log.lock);
    return used < RVFS_OP_BLOCKS ? RVFS_OP_BLOCKS - used : 0;
}

void rvfs_log_stat(struct diskstat *st)
{
    spin_lock(&log.lock);
    st->fs_commits = log.commits;
    st->fs_logged = log.logged;
    st->fs_readonly = (unsigned long)log.readonly;
    st->fs_call_max = log.call_max;
    st->fs_checkpoints = log.checkpoints;
    spin_unlock(&log.lock);
}
