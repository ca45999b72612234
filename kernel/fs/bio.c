/* The buffer cache (see bio.h for the rules).
 *
 * bcache.lock, a spin lock, covers which block each buffer holds (blockno),
 * the reference counts and the LRU list; each buffer's sleep lock covers
 * its data and valid flag. A buffer is found or recycled under the spin
 * lock, which is dropped before the sleep lock is taken (a sleep lock may
 * not be taken while holding a spin lock). A buffer with refcnt > 0 is never
 * recycled, so the identity found under the spin lock still holds once its
 * sleep lock is ours. */
#include "bio.h"
#include "../proc.h"
#include "../string.h"
#include "../../drivers/virtio_blk.h"

#define SECTORS_PER_BLOCK (BSIZE / VIRTIO_BLK_SECTOR)

static struct {
    struct spinlock lock;
    struct buf buf[NBUF];
    struct buf head; /* sentinel: head.next is the most recently released */
    int waiters;     /* processes waiting for any buffer to become free */
} bcache;

static struct {
    uint64_t hits, misses, reads, writes, errors, syncs;
} counts;

static void count(uint64_t *c) { __atomic_fetch_add(c, 1, __ATOMIC_RELAXED); }

static void unlink_buf(struct buf *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
}

static void push_front(struct buf *b)
{
    b->next = bcache.head.next;
    b->prev = &bcache.head;
    bcache.head.next->prev = b;
    bcache.head.next = b;
}

/* bcache.lock's contention, for the lock lab's statistics()
 * (kernel/lockstat.c): acquisitions and the failed attempts before them,
 * written under the lock. */
static uint64_t lock_acquires, lock_spins;

static void bcache_lock(void)
{
    uint64_t spins = 0;
    while (!spin_trylock(&bcache.lock))
        spins++;
    lock_acquires++;
    lock_spins += spins;
}

void bio_lockstat(uint64_t *acquires, uint64_t *spins)
{
    *acquires = __atomic_load_n(&lock_acquires, __ATOMIC_RELAXED);
    *spins = __atomic_load_n(&lock_spins, __ATOMIC_RELAXED);
}

void bio_init(void)
{
    spin_init(&bcache.lock, "bcache");
    bcache.head.next = bcache.head.prev = &bcache.head;
    for (int i = 0; i < NBUF; i++) {
        sleeplock_init(&bcache.buf[i].lock, "buf");
        push_front(&bcache.buf[i]);
    }
}

uint32_t bio_nblocks(void)
{
    struct virtio_blk_info di;
    virtio_blk_info(&di);
    uint64_t n = di.present ? di.sectors / SECTORS_PER_BLOCK : 0;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

int bio_readonly(void)
{
    struct virtio_blk_info di;
    virtio_blk_info(&di);
    return di.readonly;
}

/* The buffer for blockno, referenced and locked; its data is whatever it
 * held (check valid). When every buffer is in use, sleeps until one is
 * released rather than failing. */
static struct buf *bget(uint32_t blockno)
{
    bcache_lock();
    for (;;) {
        /* A buffer naming blockno holds it, or is being filled with it, or
         * failed to read it (valid = 0: bread tries again). */
        for (struct buf *b = bcache.head.next; b != &bcache.head; b = b->next)
            if (b->blockno == blockno) {
                b->refcnt++;
                spin_unlock(&bcache.lock);
                sleep_lock(&b->lock);
                return b;
            }
        /* Not cached: recycle the least recently released free buffer. */
        for (struct buf *b = bcache.head.prev; b != &bcache.head; b = b->prev)
            if (b->refcnt == 0) {
                b->blockno = blockno;
                b->valid = 0; /* refcnt was 0: nobody holds its sleep lock */
                b->refcnt = 1;
                spin_unlock(&bcache.lock);
                sleep_lock(&b->lock);
                return b;
            }
        bcache.waiters++;
        sleep_on(&bcache.waiters, &bcache.lock);
        bcache.waiters--;
    }
}

static int (*fill_hook)(uint32_t, void *);

void bio_set_fill(int (*fill)(uint32_t blockno, void *dst)) { fill_hook = fill; }

static int in_range(uint32_t blockno) { return blockno < bio_nblocks(); }

struct buf *bread(uint32_t blockno)
{
    if (!in_range(blockno))
        return 0;
    struct buf *b = bget(blockno);
    if (b->valid) {
        count(&counts.hits);
        return b;
    }
    count(&counts.misses);
    if (fill_hook && fill_hook(blockno, b->data)) {
        b->valid = 1;
        return b;
    }
    count(&counts.reads);
    if (virtio_blk_rw((uint64_t)blockno * SECTORS_PER_BLOCK, b->data, BSIZE, 0) < 0) {
        count(&counts.errors);
        brelse(b);
        return 0;
    }
    b->valid = 1;
    return b;
}

struct buf *bclaim(uint32_t blockno)
{
    if (!in_range(blockno))
        return 0;
    struct buf *b = bget(blockno);
    b->valid = 1; /* the caller fills all of data before anyone else sees it */
    return b;
}

int bwrite(struct buf *b)
{
    count(&counts.writes);
    if (virtio_blk_rw((uint64_t)b->blockno * SECTORS_PER_BLOCK, b->data, BSIZE, 1) < 0) {
        count(&counts.errors);
        b->valid = 0; /* the disk may not hold what data says: read it again */
        return -1;
    }
    return 0;
}

int bwrite_data(uint32_t blockno, const void *data)
{
    if (!in_range(blockno))
        return -1;
    count(&counts.writes);
    /* The driver reads data through its physical address (va_to_pa), so
     * it must be kernel memory that stays put: the log's copies are. */
    if (virtio_blk_rw((uint64_t)blockno * SECTORS_PER_BLOCK, (void *)data, BSIZE, 1) < 0) {
        count(&counts.errors);
        return -1;
    }
    return 0;
}

int bsync(void)
{
    count(&counts.syncs);
    if (virtio_blk_flush() < 0) {
        count(&counts.errors);
        return -1;
    }
    return 0;
}

void brelse(struct buf *b)
{
    sleep_unlock(&b->lock);
    bcache_lock();
    if (--b->refcnt == 0) {
        unlink_buf(b);
        push_front(b);
        if (bcache.waiters)
            wakeup(&bcache.waiters);
    }
    spin_unlock(&bcache.lock);
}

void bio_invalidate(uint32_t blockno)
{
    spin_lock(&bcache.lock);
    struct buf *found = 0;
    for (struct buf *b = bcache.head.next; b != &bcache.head && !found; b = b->next)
        if (b->blockno == blockno) {
            b->refcnt++;
            found = b;
        }
    spin_unlock(&bcache.lock);
    if (!found)
        return;
    sleep_lock(&found->lock);
    found->valid = 0;
    brelse(found);
}

void bio_stat(struct diskstat *st)
{
    struct virtio_blk_info di;
    virtio_blk_info(&di);
    memset(st, 0, sizeof *st);
    st->present = (unsigned long)di.present;
    st->readonly = (unsigned long)di.readonly;
    st->base = di.base;
    st->irq = di.irq;
    st->blocks = bio_nblocks();
    st->block_size = BSIZE;
    st->nbuf = NBUF;
    st->hits = __atomic_load_n(&counts.hits, __ATOMIC_RELAXED);
    st->misses = __atomic_load_n(&counts.misses, __ATOMIC_RELAXED);
    st->reads = __atomic_load_n(&counts.reads, __ATOMIC_RELAXED);
    st->writes = __atomic_load_n(&counts.writes, __ATOMIC_RELAXED);
    st->errors = __atomic_load_n(&counts.errors, __ATOMIC_RELAXED);
    st->requests = di.requests;
    st->irqs = di.irqs;
    st->max_inflight = di.max_inflight;
    st->queue_len = di.queue_len;
    st->write_cache = (unsigned long)di.write_cache;
    st->syncs = __atomic_load_n(&counts.syncs, __ATOMIC_RELAXED);
}
