/* The inode table: allocation, references, locks, and freeing an inode
 * once it has neither a name nor a reference. */
#include "ramfs.h"
#include "../../panic.h"
#include "../../spinlock.h"

static struct inode itable[RAMFS_NINODE];
/* Protects every inode's ref and type (see ramfs.h). Never held while
 * taking a sleep lock. */
static struct spinlock itable_lock = {0, "itable", 0};

void ramfs_init(void)
{
    for (int i = 0; i < RAMFS_NINODE; i++) {
        sleeplock_init(&itable[i].lock, "inode");
        itable[i].inum = (uint32_t)i + 1;
        itable[i].fs = &ramfs_ops;
    }
}

struct inode *ramfs_alloc(int type)
{
    spin_lock(&itable_lock);
    for (struct inode *ip = itable; ip < itable + RAMFS_NINODE; ip++)
        if (ip->type == 0 && ip->ref == 0) {
            ip->type = (short)type;
            ip->ref = 1;
            spin_unlock(&itable_lock);
            /* Nobody else can reach the slot yet: it has no name, and
             * its one reference is ours. inode_put left the block map
             * empty when it freed the slot. */
            ip->nlink = 0;
            ip->major = ip->minor = 0;
            ip->size = 0;
            ip->inline_data = type == T_FILE || type == T_SYMLINK;
            return ip;
        }
    spin_unlock(&itable_lock);
    return 0;
}

struct inode *ramfs_get(uint32_t inum)
{
    if (inum < 1 || inum > RAMFS_NINODE)
        return 0;
    struct inode *ip = &itable[inum - 1];
    spin_lock(&itable_lock);
    if (ip->type == 0) {
        spin_unlock(&itable_lock);
        return 0;
    }
    ip->ref++;
    spin_unlock(&itable_lock);
    return ip;
}

static struct inode *ramfs_dup(struct inode *ip)
{
    spin_lock(&itable_lock);
    if (ip->ref < 1)
        panic("inode_dup: inode %u has ref %d", ip->inum, ip->ref);
    ip->ref++;
    spin_unlock(&itable_lock);
    return ip;
}

static void ramfs_put(struct inode *ip)
{
    spin_lock(&itable_lock);
    if (ip->ref < 1)
        panic("inode_put: inode %u has ref %d", ip->inum, ip->ref);
    /* nlink is read here without the inode's lock. That is safe when ref
     * is 1: whoever last changed nlink held a reference while doing so and
     * has dropped it since (through this lock), and with no name and no
     * other reference nobody can find the inode to change it again. */
    if (ip->ref == 1 && ip->nlink == 0 && ip->type != 0) {
        /* The last reference to a nameless inode: free its frames. The
         * slot stays taken (ref 1) until they are gone. */
        spin_unlock(&itable_lock);
        sleep_lock(&ip->lock);
        ramfs_truncate(ip, 0);
        sleep_unlock(&ip->lock);
        spin_lock(&itable_lock);
        ip->type = 0;
    }
    ip->ref--;
    spin_unlock(&itable_lock);
}

static void ramfs_lock(struct inode *ip)
{
    if (ip->ref < 1)
        panic("inode_lock: inode %u has no reference", ip->inum);
    sleep_lock(&ip->lock);
}

static void ramfs_unlock(struct inode *ip) { sleep_unlock(&ip->lock); }

/* Frames are the file system: nothing to write back. */
static void ramfs_update(struct inode *ip) { (void)ip; }

const struct fs_ops ramfs_ops = {
    .name = "ramfs",
    .dev = ROOTDEV,
    .write_max = 0,
    .get = ramfs_get,
    .alloc = ramfs_alloc,
    .dup = ramfs_dup,
    .put = ramfs_put,
    .lock = ramfs_lock,
    .unlock = ramfs_unlock,
    .update = ramfs_update,
    .read = ramfs_read,
    .write = ramfs_write,
    .truncate = ramfs_truncate,
    .dir_lookup = ramfs_dir_lookup,
    .dir_add = ramfs_dir_add,
    .dir_remove = ramfs_dir_remove,
    .dir_is_empty = ramfs_dir_is_empty,
};
