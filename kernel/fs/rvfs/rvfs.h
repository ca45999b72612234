/* rvfs, the disk file system (format: kernel/fs/rvfs/rvfs_format.h; design:
 * docs/architecture.md 8.6 and 8.7). Its inodes sit behind the VFS
 * (kernel/fs/vfs.h) like the RAM file system's.
 *
 *   rvfs_log.c    the write-ahead log: transactions, commit, recovery
 *   rvfs_inode.c  the superblock and mount, the in-memory inode table,
 *                allocating, loading, writing back and freeing inodes
 *   rvfs_data.c   the free-block bitmap, a file's block map, reading,
 *                writing, truncating, and directories
 *
 * Every change to a disk block goes through the log: the code changes the
 * block in its (locked) buffer and calls rvfs_log_write before brelse, all
 * between rvfs_log_begin and rvfs_log_end. Once the file system is
 * read-only (rvfs_readonly), every operation that would change it fails. */
#ifndef RVOS_KERNEL_FS_RVFS_RVFS_H
#define RVOS_KERNEL_FS_RVFS_RVFS_H
#include <stdint.h>
#include "rvfs_format.h"

struct inode;
struct buf;

/* kernel/fs/rvfs/rvfs_inode.c */
/* Checks the superblock, the log and the root, replays the log's complete
 * records, frees the inodes on the orphan table (unlinked while open, then
 * a crash) and returns the root, referenced; 0 (with a message) when the
 * disk holds no usable rvfs. Nothing is written before the superblock and
 * the log are checked, nothing freed before the root is. A read-only
 * device, or a damaged root link count, mounts read-only. */
struct inode *rvfs_mount(void);
/* Where the file system is mounted, for the console's messages: "/disk"
 * (the default) or "/" (root=disk). */
extern const char *rvfs_mountpoint;
/* Makes every in-memory inode be read from the disk again after
 * transaction txn was dropped, and counts the failure (wb_err) in each
 * inode that transaction wrote. */
void rvfs_inodes_reload(uint64_t txn);

/* kernel/fs/rvfs/rvfs_log.c */
/* The most blocks one call (one system call, or one slice of a big write)
 * may add to a transaction: a write slice ends early when it gets close
 * (rvfs_log_room), and no other call can come near it (the worst, an
 * unlink freeing a large file, changes every bitmap block, RVFS_MAX_BMAP,
 * and a few more). */
#define RVFS_OP_BLOCKS 64
/* Bytes of file data one transaction writes at most. */
#define RVFS_WRITE_MAX (48 * RVFS_BSIZE)
/* The most blocks a write may add for one more block of data: the block,
 * three pointer tables, the bitmap blocks of all four and the inode. */
#define RVFS_WRITE_BLOCK_WORST 9
/* Checks the log superblock, then replays the log's complete records in
 * sequence (none on a read-only device: then a log holding any refuses
 * the mount). Returns the records replayed (*blocks: their blocks), or -1
 * with a message when the log is damaged or unreadable (nothing written). */
int rvfs_log_open(const struct rvfs_super *sb, int readonly, int *blocks);
void rvfs_log_begin(void);
/* 0, or -1 if the transaction this call was part of did not reach the
 * disk (the file system is read-only then). */
int rvfs_log_end(void);
/* Records b (held, changed) as part of the current transaction. */
void rvfs_log_write(struct buf *b);
/* The transaction the calling call (between begin and end) is part of. */
uint64_t rvfs_log_txn(void);
/* Blocks the calling call may still add before its reservation is used. */
uint32_t rvfs_log_room(void);
/* Whether the file system is read-only: mounted so, or since an error. */
int rvfs_readonly(void);
/* Switches the file system read-only for good, saying why once. */
void rvfs_fail(const char *why);
/* The log's counters into st (fs_commits, fs_logged, fs_readonly,
 * fs_call_max, fs_checkpoints). */
struct diskstat;
void rvfs_log_stat(struct diskstat *st);

/* kernel/fs/rvfs/rvfs_data.c */
extern struct rvfs_super rvfs_sb;
/* A free data block, marked used (not zeroed); 0 when the disk is full. */
uint32_t rvfs_balloc(void);
void rvfs_bfree(uint32_t b);
/* Free data blocks, by counting the bitmap. */
uint32_t rvfs_count_free(void);
int64_t rvfs_read(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
int64_t rvfs_write(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
void rvfs_truncate(struct inode *ip, uint64_t size);
uint32_t rvfs_dir_lookup(struct inode *dp, const char *name, uint64_t *off);
int rvfs_dir_add(struct inode *dp, const char *name, uint32_t inum);
void rvfs_dir_remove(struct inode *dp, uint64_t off);
int rvfs_dir_is_empty(struct inode *dp);
void rvfs_update(struct inode *ip);
#endif
