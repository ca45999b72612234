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
 * between rvfs_log_begin and rvfs_log_end. */
#ifndef RVOS_KERNEL_DFS_H
#define RVOS_KERNEL_DFS_H
#include <stdint.h>
#include "rvfs_format.h"

struct inode;
struct buf;

/* kernel/fs/rvfs/rvfs_inode.c */
/* Checks the superblock, recovers the log, frees inodes that have no
 * name left (a crash after unlink-while-open), and returns the root,
 * referenced; 0 (with a message) when the disk holds no rvfs. */
struct inode *rvfs_mount(void);

/* kernel/fs/rvfs/rvfs_log.c */
/* The most blocks one transaction (one system call, or one slice of a
 * big write) may change. */
#define RVFS_OP_BLOCKS 64
/* Bytes of file data one transaction writes at most: what is left of
 * RVFS_OP_BLOCKS after the inode, the tables and the bitmap blocks. */
#define RVFS_WRITE_MAX (48 * RVFS_BSIZE)
void rvfs_log_init(const struct rvfs_super *sb);
/* Applies a committed transaction left in the log, if any: its number of
 * blocks, or -1 if the header is corrupt (nothing is written then). */
int rvfs_log_recover(const struct rvfs_super *sb);
void rvfs_log_begin(void);
void rvfs_log_end(void);
/* Records b (held, changed) as part of the current transaction. */
void rvfs_log_write(struct buf *b);
/* Counters for the benchmark: transactions committed, blocks logged. */
void rvfs_log_stat(uint64_t *commits, uint64_t *blocks);

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
