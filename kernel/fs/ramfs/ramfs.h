/* The RAM file system's private view: the inode itself and the helpers
 * its files share. Nothing outside kernel/fs/ramfs/, namei.c and fs.c
 * includes this; the rest of the kernel sees kernel/fs/fs.h. */
#ifndef RVOS_KERNEL_RAMFS_H
#define RVOS_KERNEL_RAMFS_H
#include <stdint.h>
#include "../vfs.h"
#include "../../sleeplock.h"
#include "../../../arch/riscv/memlayout.h"

/* Sized so that a table of them stays small: 1024 inodes take ~200 KiB.
 * Inode numbers must fit a struct dirent's 16-bit inum. */
#define RAMFS_NINODE 1024
_Static_assert(RAMFS_NINODE <= 0xffff, "inode numbers fit in dirent.inum");

/* The block map. A file's data is cut into 4 KiB blocks, each a frame of
 * its own. Block b's frame is found through:
 *   direct[b]                            for b < RAMFS_NDIRECT (12)
 *   indirect -> [b - 12]                 for the next 512 blocks (2 MiB)
 *   dindirect -> [i / 512] -> [i % 512]  for the next 512 * 512 (1 GiB)
 * where the indirect tables are frames too, each holding 512 struct page
 * pointers. Small files (most of them) need no table at all, and the
 * smallest no block either (inline_data below). Writes never start past
 * the end of a file, so no gap opens inside one; a missing pointer is
 * read as zeros all the same.
 *
 * These are not the classic BSIZE/NDIRECT/MAXFILE that course programs
 * see in userland/include/kernel/fs/fs.h: those are the classic 1 KiB units,
 * which this map serves four to a block (docs/xv6-compat.md). */
#define PTRS_PER_PAGE (PAGE_SIZE / sizeof(struct page *))
#define RAMFS_MAX_BLOCKS (RAMFS_NDIRECT + PTRS_PER_PAGE + PTRS_PER_PAGE * PTRS_PER_PAGE)
#define NLINK_MAX 32767 /* struct stat's nlink is a short */

/* struct inode is in kernel/fs/vfs.h: the common fields, and in its union
 * the RAM file system's part: inline_data, direct (or bytes), indirect,
 * dindirect. A small file keeps its bytes in the inode itself, where the
 * direct pointers would be, and takes no frame at all: a file starts out
 * that way and stays so while it holds at most RAMFS_INLINE_MAX bytes.
 * The first write past that moves the bytes into a block; truncating to 0
 * brings the file back. Directories always use blocks (ramfs_dir.c reads
 * them through ramfs_block). inline_data is also a symbolic link's
 * target, when it fits. */

/* kernel/fs/ramfs/ramfs_inode.c */
void ramfs_init(void);
/* A fresh inode of type with nlink 0, referenced and unlocked, or 0 when
 * the table is full. Dropping the reference before giving it a name frees
 * it again. */
struct inode *ramfs_alloc(int type);
/* A new reference to inode number inum, found in a directory entry; 0 if
 * the number is not a live inode. */
struct inode *ramfs_get(uint32_t inum);

/* kernel/fs/ramfs/ramfs_data.c: caller holds ip's lock. */
/* The frame holding block b, or 0 for a hole. */
struct page *ramfs_block(struct inode *ip, uint64_t b);
int64_t ramfs_read(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
int64_t ramfs_write(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
void ramfs_truncate(struct inode *ip, uint64_t size);

/* kernel/fs/ramfs/ramfs_dir.c: caller holds dp's lock, dp is a directory. */
/* The inode number name has in dp (0: none); *off receives the entry's
 * offset if off is not 0. */
uint32_t ramfs_dir_lookup(struct inode *dp, const char *name, uint64_t *off);
/* Adds an entry; 0, or -1 when out of memory. The caller has checked that
 * name is not there yet and is a valid name. */
int ramfs_dir_add(struct inode *dp, const char *name, uint32_t inum);
/* Clears the entry at off and gives back any frames left unused at the
 * end of the directory. */
void ramfs_dir_remove(struct inode *dp, uint64_t off);
/* Whether dp holds nothing but "." and "..". */
int ramfs_dir_is_empty(struct inode *dp);
#endif
