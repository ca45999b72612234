/* The buffer cache: NBUF block buffers over the disk (drivers/virtio_blk.c).
 *
 * A block is BSIZE = 1024 bytes, two sectors: the classic block size, the
 * one course programs already see as BSIZE (kernel/fs/fs.h), and small enough
 * that a 32 MiB disk has 32,768 blocks and a cache of 64 buffers costs
 * 64 KiB. The file system that will sit on top writes its log one block at
 * a time, so a smaller block also means less to write per transaction.
 *
 * Rules: bread returns the buffer locked (a sleep lock, one per buffer), so
 * only one process uses a block's buffer at a time; the holder may read and
 * change data, write it to the disk with bwrite, and must give it back with
 * brelse. A buffer nobody holds may be reused for another block, least
 * recently released first. Only processes may call these (they sleep). */
#ifndef RVOS_KERNEL_BIO_H
#define RVOS_KERNEL_BIO_H
#include <stdint.h>
#include "../sleeplock.h"
#include "../../include/rvos/disk.h"

#define BSIZE DISK_BSIZE
#define NBUF 64
#define NBUCKET 13 /* hash buckets, each with a lock of its own (bio.c) */

struct buf {
    uint8_t data[BSIZE] __attribute__((aligned(64)));
    struct sleeplock lock;
    int valid; /* data holds the block's contents (under lock) */
    uint32_t blockno;
    /* under the lock of the bucket the buffer is in: */
    int refcnt;
    uint64_t last_use; /* when it was last released: LRU order */
    struct buf *next;  /* the bucket's list */
};

void bio_init(void);
/* Blocks on the disk (0 if there is none). */
uint32_t bio_nblocks(void);
/* Whether the disk takes no writes (virtio F_RO). */
int bio_readonly(void);
/* The block, read from the disk unless cached; 0 if blockno is out of
 * range, there is no disk, or the read failed. */
struct buf *bread(uint32_t blockno);
/* The block's buffer, locked, for a caller that overwrites all of data:
 * nothing is read from the disk. 0 if blockno is out of range. */
struct buf *bclaim(uint32_t blockno);
/* Writes b (held) to the disk: 0, or -1 on a device error. */
int bwrite(struct buf *b);
void brelse(struct buf *b);
/* Makes every block written so far durable on the device (its write cache
 * flushed): 0, or -1. */
int bsync(void);
/* Writes BSIZE bytes of data straight to block blockno, past the cache
 * (the log copies its blocks this way): 0, or -1. */
int bwrite_data(uint32_t blockno, const void *data);
/* fill(blockno, dst) is asked first whenever a block must be read from
 * the disk: if it returns 1 it has filled dst with the block's newest
 * contents and the disk is not read. The disk file system's log uses it
 * for blocks it holds changes of that are not home yet. */
void bio_set_fill(int (*fill)(uint32_t blockno, void *dst));
/* Forgets what the cache holds of blockno, so the next bread reads the
 * disk (or asks fill). The caller holds no buffer. */
void bio_invalidate(uint32_t blockno);
/* Cache and device counters. */
void bio_stat(struct diskstat *st);
/* A cache lock's acquisitions and failed attempts (lock statistics):
 * lock 0 is the eviction lock ("bcache"), 1..NBUCKET the buckets'. */
void bio_lockstat(int lock, uint64_t *acquires, uint64_t *spins);
#endif
