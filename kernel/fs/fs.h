/* The file system interface the rest of the kernel uses.
 *
 * The root file system lives in RAM (kernel/fs/ramfs/), filled at boot
 * from the initramfs (kernel/fs/initramfs.c); the disk file system
 * (kernel/fs/rvfs/) is mounted at /disk when the disk holds one. With
 * root=disk on the command line the disk file system is "/" instead (the
 * classic kernel's layout) and the initramfs is not unpacked. Both sit
 * behind these calls (kernel/fs/vfs.h). An inode is a file, a directory, a
 * device node or a symbolic link.
 *
 * References and locks. A `struct inode *` handed out by namei, inode_dup
 * or fs_create carries one reference; give it back with inode_put. An
 * inode lives while it has a name (nlink > 0) or a reference, so a file
 * unlinked while open lives until its last close. Its contents (size, data,
 * directory entries, nlink) may only be touched with its lock held; the
 * lock is a sleep lock, so it may be held across copies to and from user
 * memory. Two inode locks are only ever held together as a directory and
 * then an entry of it (never "." or ".."), so the order is always parent
 * before child and cannot deadlock. */
#ifndef RVOS_KERNEL_FS_H
#define RVOS_KERNEL_FS_H
#include <stdint.h>
#include "../../include/rvos/fs.h"
#include "../../include/rvos/stat.h"
#include "../../include/rvos/param.h" /* MAXPATH */

struct inode;

/* kernel/fs/fs.c: start-up and the operations that change the name space. */
/* The root file system, from the command line's root= (0: "ram", the
 * default): 0, or -1 for an unknown name. Before fs_init. */
int fs_root_select(const char *name);
/* Makes the RAM file system and, unless the root is on the disk, fills
 * it from the initramfs: returns whether it did (the archive's memory may
 * be given back either way). */
int fs_init(const void *initrd, uint64_t size);
/* kernel/fs/vmfile.c: lets the memory manager read and write mapped files,
 * and keeps a running program's file from being written (ETXTBSY):
 * inode_write_begin before a file is opened for writing (0, or -1 while a
 * program runs from it), inode_write_end at its last close. */
void vmfile_init(void);
int inode_write_begin(struct inode *ip);
void inode_write_end(struct inode *ip);
/* Mounts the disk file system at /disk if the disk holds one (recovering
 * its log first); says on the console what came of it. With root=disk it
 * becomes "/" instead, and a disk without one stops the boot. Called by
 * the first process, before it looks up anything: reading the disk
 * sleeps. */
void fs_mount_disk(void);
/* Every system call that may change a file system runs between these:
 * on the disk file system, one log transaction (kernel/fs/rvfs/rvfs_log.c),
 * so that a crash leaves all of its changes or none. Calls nest: only the
 * outermost pair counts. No inode lock may be held across fs_op_begin.
 * fs_op_end returns once the changes are on the disk: 0, or -1 if they
 * could not be written (the file system is read-only then). */
void fs_op_begin(void);
int fs_op_end(void);
/* Creates path as a new inode of type T_FILE, T_DIR or T_DEVICE (major,
 * minor). If the name exists: with open_existing, returns that inode
 * (whatever its type), else fails. Returns the inode referenced and
 * locked, or 0 (no parent directory, out of inodes or memory). A name
 * longer than DIRSIZ is cut to DIRSIZ bytes (see namei.c). */
struct inode *fs_create(const char *path, int type, int major, int minor, int open_existing);
int fs_link(const char *oldpath, const char *newpath); /* 0 or -1 */
int fs_unlink(const char *path);                       /* 0 or -1 */
/* Creates path as a symbolic link to target (not looked at: it may name
 * nothing yet). 0, or -1 if target is empty or path exists or cannot be
 * made. */
int fs_symlink(const char *target, const char *path);

/* kernel/fs/namei.c: path lookup, absolute or relative to the current
 * process's directory. */
/* The inode path names, referenced and unlocked, or 0. */
struct inode *namei(const char *path);
/* The same, except that a symbolic link as the last name is returned
 * itself rather than followed (open's O_NOFOLLOW). Links met earlier in
 * the path are followed all the same. */
struct inode *namei_nofollow(const char *path);
/* At most this many symbolic links are followed in one lookup: a loop
 * ends in failure, not in a hang. */
#define SYMLINK_DEPTH_MAX 10
/* The directory holding path's last component, referenced and unlocked,
 * with that component copied to name (DIRSIZ + 1 bytes); 0 if there is no
 * such directory or no last component ("/"). */
struct inode *namei_parent(const char *path, char *name);

/* kernel/fs/vfs.c: each goes to the inode's own file system. */
struct inode *inode_dup(struct inode *ip);
void inode_put(struct inode *ip);
void inode_lock(struct inode *ip);
void inode_unlock(struct inode *ip);
/* Type, major device number and inode number never change while the
 * caller holds a reference, so these need no lock. */
int inode_type(struct inode *ip);
/* References held now: a snapshot, for the memory audit. */
int inode_refs(struct inode *ip);
int inode_major(struct inode *ip);
uint32_t inode_number(struct inode *ip);
/* Writes larger than this many bytes go in several transactions (0: no
 * limit); see file_write. */
uint64_t inode_write_max(struct inode *ip);
/* fsync: makes every change to ip made so far durable (the disk file
 * system commits the transaction being built, if any), then compares the
 * inode's count of failed changes with *seen, the count the open file
 * saw last, and updates *seen. 0, or -1 if a change to ip failed to reach
 * the disk since then (each open file hears of a failure once). */
int inode_fsync(struct inode *ip, uint32_t *seen);
/* The count inode_fsync compares: what an open file starts from. */
uint32_t inode_wb_err(struct inode *ip);
/* Makes a change of nlink, major or minor (made under the lock) stick. */
void inode_update(struct inode *ip);
/* Fills st; takes the lock itself. */
void inode_stat(struct inode *ip, struct stat *st);
/* Reads up to n bytes at off into a kernel buffer, taking the lock
 * itself; returns the count (0 at or past the end). For exec. */
int64_t inode_read(struct inode *ip, void *dst, uint64_t off, uint64_t n);

/* The caller holds ip's lock. addr is a user address
 * of the current process if user, else a kernel pointer. */
/* Returns the bytes read (0 at or past the end), or -1 if none could be
 * copied out. A hole reads as zeros. */
int64_t inode_read_to(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
/* Writes n bytes at off, growing the file past its end as needed. off may
 * not lie past the end (-1, nothing changes: the classic rule). Returns
 * the bytes written, fewer when memory or the largest file size runs out
 * or addr goes bad, or -1 if none were. */
int64_t inode_write_from(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n);
/* Shrinks the file to size bytes, freeing the frames past it. */
void inode_truncate(struct inode *ip, uint64_t size);
#endif
