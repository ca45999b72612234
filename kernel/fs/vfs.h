/* The virtual file system: what the RAM file system (kernel/fs/ramfs/)
 * and the disk file system (kernel/fs/rvfs/) have in common, so that the
 * name space (kernel/fs/fs.c, kernel/fs/namei.c) and the system calls work on
 * either through the same calls (kernel/fs/fs.h).
 *
 * An inode belongs to one file system, named by its `fs` pointer: a table
 * of that file system's operations. The fields every file system keeps the
 * same way (type, nlink, size, device numbers) are common, so fs.c and
 * namei.c read and change them directly, under the inode's lock, and call
 * inode_update to make a change of nlink, major or minor stick (the disk
 * writes it to its inode block; the RAM file system has nothing to do).
 * What differs, where the data lives, is an anonymous union private to
 * each file system.
 *
 * Mounting: one file system's root may cover a directory of another
 * (vfs_mount). namei crosses from the covered directory into the mounted
 * root going down, and from the mounted root back to the covered
 * directory's ".." going up. Only kernel/fs/fs.c and kernel/fs/namei.c and the
 * file systems include this header. */
#ifndef RVOS_KERNEL_VFS_H
#define RVOS_KERNEL_VFS_H
#include <stdint.h>
#include "fs.h"
#include "../sleeplock.h"
#include "rvfs/rvfs_format.h"

struct page;
struct inode;

struct fs_ops {
    const char *name;
    int dev; /* what stat reports as dev */
    /* Writes larger than this many bytes are cut into several
     * transactions (file_write); 0: no limit. */
    uint64_t write_max;
    struct inode *(*get)(uint32_t inum); /* referenced, unlocked; 0 if not live */
    struct inode *(*alloc)(int type);    /* nlink 0, referenced, unlocked */
    struct inode *(*dup)(struct inode *ip);
    void (*put)(struct inode *ip);
    void (*lock)(struct inode *ip);
    void (*unlock)(struct inode *ip);
    void (*update)(struct inode *ip); /* makes nlink, major, minor, size stick */
    int64_t (*read)(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
    int64_t (*write)(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
    void (*truncate)(struct inode *ip, uint64_t size);
    uint32_t (*dir_lookup)(struct inode *dp, const char *name, uint64_t *off);
    int (*dir_add)(struct inode *dp, const char *name, uint32_t inum);
    void (*dir_remove)(struct inode *dp, uint64_t off);
    int (*dir_is_empty)(struct inode *dp);
    int (*readonly)(void); /* 0 (none) or 1 when nothing may change */
    /* Makes every change to ip made so far durable; 0 when there is
     * nothing to do (none: the RAM file system). Errors are counted in
     * ip->wb_err, not returned (see inode_fsync). */
    void (*sync)(struct inode *ip);
};

#define RAMFS_NDIRECT 12
#define RAMFS_INLINE_MAX (RAMFS_NDIRECT * sizeof(struct page *)) /* 96 bytes */

struct inode {
    struct sleeplock lock;
    const struct fs_ops *fs;
    uint32_t inum;
    /* Under the file system's inode-table spin lock. type is stable for
     * anyone holding a reference. */
    int ref;
    short type;
    /* Under lock. nlink counts names: a file's directory entries; for a
     * directory, its entry in its parent, its own "." and the ".." of
     * each subdirectory. */
    short nlink;
    short major, minor; /* T_DEVICE */
    uint64_t size;      /* bytes; a directory's is a multiple of sizeof(struct dirent) */
    /* Atomics (kernel/fs/vmfile.c): regions of running programs mapping this
     * file, and open files that may write it. Never both above 0: a
     * running program's file cannot be opened for writing (ETXTBSY), a
     * file open for writing cannot be exec'd. */
    int text_users, writers;
    /* Atomic: how many changes to this inode failed to reach the disk
     * (a transaction dropped after an I/O error). An open file remembers
     * the count it has seen; fsync reports -1 when it moved (Linux's
     * errseq, kept simple). Only the disk file system counts. */
    uint32_t wb_err;
    union {
        /* kernel/fs/ramfs/ (see ramfs.h) */
        struct {
            short inline_data;
            union {
                struct page *direct[RAMFS_NDIRECT];
                uint8_t bytes[RAMFS_INLINE_MAX];
            };
            struct page *indirect;
            struct page *dindirect;
        };
        /* kernel/fs/rvfs/: the block pointers of struct rvfs_dinode, and
         * whether the fields above were read from the disk yet. */
        struct {
            int dvalid;
            short dnlink;  /* nlink as the disk holds it (loaded or last written) */
            char unlinked; /* nlink went to 0 here: the last put frees it */
            char orphaned; /* it is on the disk's orphan table */
            char stale;    /* a dropped transaction may have changed it: read it again at the next lock */
            uint64_t txn;  /* atomic: the last transaction that wrote this inode (rvfs_update) */
            uint32_t addrs[RVFS_NDIRECT + 2];
        };
    };
};

/* The RAM file system's operations and root (kernel/fs/ramfs/ramfs_inode.c). */
extern const struct fs_ops ramfs_ops;

/* kernel/fs/vfs.c: the directory operations, on whichever file system dp is. */
uint32_t dir_lookup(struct inode *dp, const char *name, uint64_t *off);
int dir_add(struct inode *dp, const char *name, uint32_t inum);
void dir_remove(struct inode *dp, uint64_t off);
int dir_is_empty(struct inode *dp);
/* A new inode on dp's file system; inode inum of dp's file system. */
struct inode *inode_alloc_in(struct inode *dp, int type);
struct inode *inode_get_in(struct inode *dp, uint32_t inum);

/* The root of the name space, referenced: the RAM file system's, or the
 * disk's once vfs_set_root made it "/" (root=disk, before any process but
 * the first runs). */
struct inode *vfs_root(void);
void vfs_set_root(struct inode *root);

/* Mounting. root (referenced) covers the directory covered (referenced),
 * for good: 0, or -1 if the table is full. */
int vfs_mount(struct inode *covered, struct inode *root);
/* If ip is covered by a mount, drops it and returns the mounted root
 * (referenced); else returns ip. */
struct inode *vfs_cross_down(struct inode *ip);
/* If ip is the root of a mounted file system, drops it and returns the
 * directory it covers (referenced), where ".." leads on; else ip. */
struct inode *vfs_cross_up(struct inode *ip);
/* Whether ip is covered by a mount (and so may not be removed). */
int vfs_is_mountpoint(struct inode *ip);
/* Whether ip's file system takes no changes (mounted read-only, or made
 * so by a disk error): the operations that change the name space check
 * it before they start. */
int inode_readonly(struct inode *ip);
/* Moves file data to or from a caller's buffer: user memory of the
 * current process (copyout/copyin: -1 for a bad address) or, with user 0,
 * kernel memory. Both file systems read and write through these. */
int vfs_copy_to(int user, uint64_t dst, const void *src, uint64_t n);
int vfs_copy_from(int user, void *dst, uint64_t src, uint64_t n);
#endif
