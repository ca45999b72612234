/* The buffer cache (see bio.h for the rules).
 *
 * The buffers are spread over NBUCKET hash buckets, each a list under a
 * spin lock of its own that covers which block each of its buffers holds
 * (blockno), their reference counts and their LRU stamps. Looking up a
 * cached block, and giving it back, takes only that block's bucket lock,
 * so processes using different blocks do not wait for each other (the
 * classic lock lab's bcache part). A miss takes bcache.evict_lock, the
 * cache-wide lock: one eviction at a time, which is what makes moving a
 * buffer from one bucket to another safe. Only the eviction-lock holder
 * ever holds two bucket locks (in recycle), so no cycle of waits can
 * form, and since only evictions insert buffers, a miss that looks again
 * under the eviction lock knows nobody adds the block behind its back.
 *
 * Each buffer's sleep lock covers its data and valid flag. A buffer is
 * found or recycled under the spin locks, which are dropped before the
 * sleep lock is taken (a sleep lock may not be taken while holding a spin
 * lock). A buffer with refcnt > 0 is never recycled, so the identity
 * found under the spin lock still holds once its sleep lock is ours. */
#include "bio.h"
#include "../proc.h"
#include "../string.h"
#include "../../drivers/virtio_blk.h"

#define SECTORS_PER_BLOCK (BSIZE / VIRTIO_BLK_SECTOR)

struct bucket {
    struct spinlock lock;
    struct buf *head;         /* its buffers, through buf.next */
    uint64_t acquires, spins; /* lock statistics, under lock */
};

static struct {
    struct spinlock evict_lock; /* one eviction at a time */
    uint64_t evict_acquires, evict_spins;
    struct buf buf[NBUF];
    struct bucket bucket[NBUCKET];
    int waiters;    /* processes waiting for any buffer to become free */
    uint64_t clock; /* LRU stamps: the last release of each buffer */
} bcache;

static struct {
    uint64_t hits, misses, reads, writes, errors, syncs;
} counts;

static void count(uint64_t *c) { __atomic_fetch_add(c, 1, __ATOMIC_RELAXED); }

/* Takes l, counting the acquisition and the failed attempts before it
 * (for the lock lab's statistics(), kernel/lockstat.c) under l itself. */
static void lock_counted(struct spinlock *l, uint64_t *acquires, uint64_t *spins)
{
    uint64_t n = 0;
    while (!spin_trylock(l))
        n++;
    ++*acquires;
    *spins += n;
}

static void bucket_lock(struct bucket *bk) { lock_counted(&bk->lock, &bk->acquires, &bk->spins); }
static void evict_lock(void) { lock_counted(&bcache.evict_lock, &bcache.evict_acquires, &bcache.evict_spins); }

/* Lock statistics: lock 0 is the eviction lock, 1..NBUCKET the buckets'. */
void bio_lockstat(int lock, uint64_t *acquires, uint64_t *spins)
{
    uint64_t *a = lock ? &bcache.bucket[lock - 1].acquires : &bcache.evict_acquires;
    uint64_t *s = lock ? &bcache.bucket[lock - 1].spins : &bcache.evict_spins;
    *acquires = __atomic_load_n(a, __ATOMIC_RELAXED);
    *spins = __atomic_load_n(s, __ATOMIC_RELAXED);
}

/* The bucket whose list holds blockno's buffer, if it is cached. */
static struct bucket *bucket_of(uint32_t blockno)
{
    /* LAB locks BEGIN: hash blockno to one of the NBUCKET buckets */
    return &bcache.bucket[blockno % NBUCKET];
    /* LAB locks STUB
    (void)blockno;
    return &bcache.bucket[0];
       LAB locks END */
}

/* blockno's buffer in bk (locked), or 0. A buffer naming blockno holds
 * it, or is being filled with it, or failed to read it (valid = 0: bread
 * tries again). */
static struct buf *find(struct bucket *bk, uint32_t blockno)
{
    for (struct buf *b = bk->head; b; b = b->next)
        if (b->blockno == blockno)
            return b;
    return 0;
}

/* Takes b out of bk's list (bk locked). Unused in the lab's handout. */
static __attribute__((unused)) void unlink_buf(struct bucket *bk, struct buf *b)
{
    struct buf **pp = &bk->head;
    while (*pp != b)
        pp = &(*pp)->next;
    *pp = b->next;
}

static void push(struct bucket *bk, struct buf *b)
{
    b->next = bk->head;
    bk->head = b;
}

/* The least recently released buffer nobody holds in bk (locked), or
 * the older of it and best. */
static struct buf *oldest_free(struct bucket *bk, struct buf *best)
{
    for (struct buf *b = bk->head; b; b = b->next)
        if (b->refcnt == 0 && (!best || b->last_use < best->last_use))
            best = b;
    return best;
}

/* b, free and in no list or under its bucket's lock, now names blockno:
 * referenced once, its old contents forgotten (refcnt was 0: nobody
 * holds its sleep lock). */
static void retarget(struct buf *b, uint32_t blockno)
{
    b->blockno = blockno;
    b->valid = 0;
    b->refcnt = 1;
}

/* A miss: with the eviction lock held and no bucket lock, recycles the
 * least recently released buffer nobody holds, in whichever bucket it
 * is, for blockno, and leaves it in home, blockno's bucket: referenced,
 * not valid. 0 if every buffer is held. */
static struct buf *recycle(struct bucket *home, uint32_t blockno)
{
    /* LAB locks BEGIN: find the LRU free buffer in any bucket and move it to home, without deadlock */
    for (;;) {
        struct buf *victim = 0;
        struct bucket *from = 0;
        for (struct bucket *bk = bcache.bucket; bk < bcache.bucket + NBUCKET; bk++) {
            bucket_lock(bk);
            struct buf *b = oldest_free(bk, victim);
            if (b != victim)
                victim = b, from = bk;
            spin_unlock(&bk->lock);
        }
        if (!victim)
            return 0;
        /* A hit in its bucket may have taken it since we looked. */
        bucket_lock(from);
        if (victim->refcnt) {
            spin_unlock(&from->lock);
            continue;
        }
        unlink_buf(from, victim);
        retarget(victim, blockno);
        spin_unlock(&from->lock);
        /* In no list meanwhile: a lookup of either block misses, and then
         * waits for our eviction lock. */
        bucket_lock(home);
        push(home, victim);
        spin_unlock(&home->lock);
        return victim;
    }
    /* LAB locks STUB
    bucket_lock(home);
    struct buf *victim = oldest_free(home, 0);
    if (victim)
        retarget(victim, blockno);
    spin_unlock(&home->lock);
    return victim;
       LAB locks END */
}

void bio_init(void)
{
    spin_init(&bcache.evict_lock, "bcache");
    for (int i = 0; i < NBUCKET; i++)
        spin_init(&bcache.bucket[i].lock, "bcache.bucket");
    /* Every buffer starts in bucket 0; evictions move them where the
     * blocks they take belong. */
    for (int i = 0; i < NBUF; i++) {
        sleeplock_init(&bcache.buf[i].lock, "buf");
        push(&bcache.bucket[0], &bcache.buf[i]);
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
    struct bucket *home = bucket_of(blockno);
    bucket_lock(home);
    struct buf *b = find(home, blockno);
    if (b)
        b->refcnt++;
    spin_unlock(&home->lock);
    if (!b) {
        evict_lock();
        for (;;) {
            /* An eviction before ours may have brought it in. */
            bucket_lock(home);
            b = find(home, blockno);
            if (b)
                b->refcnt++;
            spin_unlock(&home->lock);
            if (b)
                break;
            /* Counted before looking, so that a brelse that frees a
             * buffer after we looked at its bucket sees us (brelse). */
            __atomic_add_fetch(&bcache.waiters, 1, __ATOMIC_SEQ_CST);
            b = recycle(home, blockno);
            if (!b)
                sleep_on(&bcache.waiters, &bcache.evict_lock);
            __atomic_sub_fetch(&bcache.waiters, 1, __ATOMIC_SEQ_CST);
            if (b)
                break;
        }
        spin_unlock(&bcache.evict_lock);
    }
    sleep_lock(&b->lock);
    return b;
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
    struct bucket *bk = bucket_of(b->blockno); /* ours while we hold it */
    bucket_lock(bk);
    int freed = --b->refcnt == 0;
    if (freed)
        b->last_use = __atomic_add_fetch(&bcache.clock, 1, __ATOMIC_RELAXED);
    spin_unlock(&bk->lock);
    /* A miss that found every buffer held sleeps under the eviction lock:
     * taking it orders our wakeup after its sleep. The fence pairs with
     * the miss's count before it looks at the buckets: either it sees
     * this buffer free, or we see it waiting. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (freed && __atomic_load_n(&bcache.waiters, __ATOMIC_SEQ_CST)) {
        evict_lock();
        wakeup(&bcache.waiters);
        spin_unlock(&bcache.evict_lock);
    }
}

void bio_invalidate(uint32_t blockno)
{
    struct bucket *bk = bucket_of(blockno);
    bucket_lock(bk);
    struct buf *found = find(bk, blockno);
    if (found)
        found->refcnt++;
    spin_unlock(&bk->lock);
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
