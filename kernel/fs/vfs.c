/* The virtual file system (see vfs.h): each inode call goes to the
 * operations of the file system the inode belongs to, and the mount table
 * says where one file system's root covers another's directory. */
#include "vfs.h"
#include "rvfs/rvfs.h"
#include "ramfs/ramfs.h"
#include "../panic.h"
#include "../spinlock.h"
#include "../string.h"
#include "../proc.h"
#include "../../mm/vm.h"

struct inode *inode_dup(struct inode *ip) { return ip->fs->dup(ip); }
void inode_put(struct inode *ip) { ip->fs->put(ip); }
void inode_lock(struct inode *ip) { ip->fs->lock(ip); }
void inode_unlock(struct inode *ip) { ip->fs->unlock(ip); }
void inode_update(struct inode *ip) { ip->fs->update(ip); }

int inode_type(struct inode *ip) { return ip->type; }
int inode_refs(struct inode *ip) { return __atomic_load_n(&ip->ref, __ATOMIC_RELAXED); }
int inode_major(struct inode *ip) { return ip->major; }
uint32_t inode_number(struct inode *ip) { return ip->inum; }
uint64_t inode_write_max(struct inode *ip) { return ip->fs->write_max; }

uint32_t inode_wb_err(struct inode *ip) { return __atomic_load_n(&ip->wb_err, __ATOMIC_ACQUIRE); }

int inode_fsync(struct inode *ip, uint32_t *seen)
{
    if (ip->fs->sync)
        ip->fs->sync(ip);
    uint32_t now = __atomic_load_n(&ip->wb_err, __ATOMIC_ACQUIRE);
    uint32_t was = __atomic_exchange_n(seen, now, __ATOMIC_ACQ_REL);
    return was == now ? 0 : -1;
}

int inode_readonly(struct inode *ip) { return ip->fs->readonly ? ip->fs->readonly() : 0; }

void inode_stat(struct inode *ip, struct stat *st)
{
    inode_lock(ip);
    st->dev = ip->fs->dev;
    st->ino = ip->inum;
    st->type = ip->type;
    st->nlink = ip->nlink;
    st->size = ip->size;
    inode_unlock(ip);
}

int64_t inode_read(struct inode *ip, void *dst, uint64_t off, uint64_t n)
{
    inode_lock(ip);
    int64_t r = inode_read_to(ip, 0, (uint64_t)dst, off, n);
    inode_unlock(ip);
    return r;
}

int64_t inode_read_to(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n)
{
    return ip->fs->read(ip, user, addr, off, n);
}

int64_t inode_write_from(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n)
{
    return ip->fs->write(ip, user, addr, off, n);
}

void inode_truncate(struct inode *ip, uint64_t size) { ip->fs->truncate(ip, size); }

uint32_t dir_lookup(struct inode *dp, const char *name, uint64_t *off) { return dp->fs->dir_lookup(dp, name, off); }
int dir_add(struct inode *dp, const char *name, uint32_t inum) { return dp->fs->dir_add(dp, name, inum); }
void dir_remove(struct inode *dp, uint64_t off) { dp->fs->dir_remove(dp, off); }
int dir_is_empty(struct inode *dp) { return dp->fs->dir_is_empty(dp); }
struct inode *inode_alloc_in(struct inode *dp, int type) { return dp->fs->alloc(type); }
struct inode *inode_get_in(struct inode *dp, uint32_t inum) { return dp->fs->get(inum); }

/* A system call that may change a file system brackets its work with
 * these; only the disk file system has anything to do (its log). */
void fs_op_begin(void) { rvfs_log_begin(); }
int fs_op_end(void) { return rvfs_log_end(); }

static struct inode *root_inode; /* 0: the RAM file system's root */

struct inode *vfs_root(void)
{
    struct inode *r = __atomic_load_n(&root_inode, __ATOMIC_ACQUIRE);
    return r ? inode_dup(r) : ramfs_get(ROOTINO);
}

void vfs_set_root(struct inode *root) { __atomic_store_n(&root_inode, root, __ATOMIC_RELEASE); }

/* The mount table: set at boot, never undone, so it is read without a
 * lock once an entry's `used` is seen set (the store is ordered after the
 * fields by the release below). */
#define NMOUNT 4
static struct mount {
    struct inode *covered, *root;
    int used;
} mounts[NMOUNT];
static struct spinlock mount_lock = {0, "mount", 0};

int vfs_mount(struct inode *covered, struct inode *root)
{
    spin_lock(&mount_lock);
    for (struct mount *m = mounts; m < mounts + NMOUNT; m++)
        if (!m->used) {
            m->covered = covered;
            m->root = root;
            __atomic_store_n(&m->used, 1, __ATOMIC_RELEASE);
            spin_unlock(&mount_lock);
            return 0;
        }
    spin_unlock(&mount_lock);
    return -1;
}

static struct mount *mount_of(struct inode *ip, int by_root)
{
    for (struct mount *m = mounts; m < mounts + NMOUNT; m++)
        if (__atomic_load_n(&m->used, __ATOMIC_ACQUIRE) && (by_root ? m->root : m->covered) == ip)
            return m;
    return 0;
}

struct inode *vfs_cross_down(struct inode *ip)
{
    struct mount *m = mount_of(ip, 0);
    if (!m)
        return ip;
    inode_put(ip);
    return inode_dup(m->root);
}

struct inode *vfs_cross_up(struct inode *ip)
{
    struct mount *m = mount_of(ip, 1);
    if (!m)
        return ip;
    inode_put(ip);
    return inode_dup(m->covered);
}

int vfs_is_mountpoint(struct inode *ip) { return mount_of(ip, 0) != 0; }

int vfs_copy_to(int user, uint64_t dst, const void *src, uint64_t n)
{
    if (user)
        return copyout(myproc()->as, dst, src, n);
    memcpy((void *)dst, src, n);
    return 0;
}

int vfs_copy_from(int user, void *dst, uint64_t src, uint64_t n)
{
    if (user)
        return copyin(myproc()->as, dst, src, n);
    memcpy(dst, (const void *)src, n);
    return 0;
}
