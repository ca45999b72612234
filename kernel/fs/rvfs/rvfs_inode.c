/* The disk file system's inodes in memory, and mounting.
 *
 * The table holds RVFS_NINODE_MEM in-memory inodes. A slot with ref > 0
 * stands for the disk inode inum; a slot is taken by rvfs_get and given
 * back when its last reference goes. The common fields and addrs are
 * loaded from the inode block the first time anybody locks the slot
 * (dvalid), and written back by rvfs_update, which fs.c calls after
 * changing nlink and this file's code after changing size or addrs.
 *
 * icache_lock (spin) covers every slot's inum and ref; each slot's sleep
 * lock covers the rest. An inode whose last name this kernel removed
 * (unlinked) is freed on disk when its last reference goes (rvfs_put),
 * inside a transaction. One still open when its last name goes is put on
 * the disk's orphan table (block 0) in the same transaction, and taken off
 * when it is freed: a crash in between leaves it listed, and mount frees
 * exactly the listed inodes. An inode found on the disk with nlink 0 but
 * not listed (a damaged link count) is never freed here: fsck decides. */
#include "rvfs.h"
#include "../bio.h"
#include "../../proc.h"
#include "../../panic.h"
#include "../../printk.h"
#include "../../spinlock.h"
#include "../../string.h"
#include "../vfs.h"

#define RVFS_NINODE_MEM 128

static struct inode icache[RVFS_NINODE_MEM];
static struct spinlock icache_lock = {0, "rvfs_icache", 0};
static const struct fs_ops rvfs_ops;

static uint32_t iblock(uint32_t inum) { return rvfs_sb.inodestart + inum / (uint32_t)RVFS_IPB; }

/* Reads ip's disk inode into it, once. Caller holds ip's lock. -1 if the
 * block cannot be read. */
static int load(struct inode *ip)
{
    if (ip->dvalid)
        return 0;
    struct buf *b = bread(iblock(ip->inum));
    if (!b)
        return -1;
    const struct rvfs_dinode *d = (const struct rvfs_dinode *)b->data + ip->inum % RVFS_IPB;
    ip->type = d->type;
    ip->major = d->major;
    ip->minor = d->minor;
    ip->nlink = d->nlink;
    ip->size = d->size;
    memcpy(ip->addrs, d->addrs, sizeof ip->addrs);
    brelse(b);
    ip->dnlink = ip->nlink;
    ip->unlinked = 0;
    ip->orphaned = 0;
    ip->stale = 0;
    /* A type this file system does not have would make the rest of the
     * kernel misread it: a corrupt inode is treated as free. */
    if (ip->type < 0 || ip->type > T_SYMLINK || ip->size > RVFS_MAXFILE) {
        printk_limited("rvfs: inode %u is corrupt (type %d, size %lu); ignored\n", ip->inum, ip->type, ip->size);
        ip->type = 0;
    }
    __atomic_store_n(&ip->dvalid, 1, __ATOMIC_RELEASE);
    return 0;
}

/* Adds inum to the orphan table (add) or takes it off: 0, or -1 if the
 * table is full or unreadable. */
static int orphan_table(uint32_t inum, int add)
{
    struct buf *b = bread(RVFS_ORPHANS);
    if (!b)
        return -1;
    uint32_t *t = (uint32_t *)b->data;
    int slot = -1;
    for (int i = 0; i < RVFS_ORPHAN_MAX && slot < 0; i++)
        if (t[i] == (add ? 0 : inum))
            slot = i;
    if (slot >= 0) {
        t[slot] = add ? inum : 0;
        rvfs_log_write(b);
    }
    brelse(b);
    return slot >= 0 ? 0 : -1;
}

static int refs(struct inode *ip)
{
    spin_lock(&icache_lock);
    int r = ip->ref;
    spin_unlock(&icache_lock);
    return r;
}

void rvfs_update(struct inode *ip)
{
    if (rvfs_readonly())
        return;
    if (ip->nlink == 0 && ip->dnlink > 0 && ip->type != 0) {
        /* Its last name is gone. Still open elsewhere (the caller holds
         * one reference): it outlives this call, so list it. */
        ip->unlinked = 1;
        if (refs(ip) > 1 && !ip->orphaned) {
            if (orphan_table(ip->inum, 1) == 0)
                ip->orphaned = 1;
            else
                printk_limited(
                    "rvfs: the orphan table is full: inode %u is left to fsck if the power fails before its last "
                    "close\n",
                    ip->inum);
        }
    }
    struct buf *b = bread(iblock(ip->inum));
    if (!b)
        return;
    struct rvfs_dinode *d = (struct rvfs_dinode *)b->data + ip->inum % RVFS_IPB;
    d->type = ip->type;
    d->major = ip->major;
    d->minor = ip->minor;
    d->nlink = ip->nlink;
    d->size = (uint32_t)ip->size;
    memcpy(d->addrs, ip->addrs, sizeof d->addrs);
    rvfs_log_write(b);
    brelse(b);
    ip->dnlink = ip->nlink;
    /* Every change to a file (data, size, block map, links) ends here. */
    __atomic_store_n(&ip->txn, rvfs_log_txn(), __ATOMIC_RELAXED);
}

void rvfs_inodes_reload(uint64_t txn)
{
    /* An inode in use is marked, not unloaded: its holder may have it
     * locked (and rvfs_get must not take the lock of a loaded inode). */
    spin_lock(&icache_lock);
    for (struct inode *ip = icache; ip < icache + RVFS_NINODE_MEM; ip++)
        if (ip->ref > 0) {
            ip->stale = 1;
            if (__atomic_load_n(&ip->txn, __ATOMIC_RELAXED) == txn)
                __atomic_add_fetch(&ip->wb_err, 1, __ATOMIC_RELEASE);
        } else
            __atomic_store_n(&ip->dvalid, 0, __ATOMIC_RELEASE);
    spin_unlock(&icache_lock);
}

static struct inode *rvfs_get(uint32_t inum)
{
    if (inum < 1 || inum >= rvfs_sb.ninodes)
        return 0;
    spin_lock(&icache_lock);
    struct inode *ip = 0, *empty = 0;
    for (struct inode *s = icache; s < icache + RVFS_NINODE_MEM && !ip; s++) {
        if (s->ref > 0 && s->inum == inum)
            ip = s;
        else if (s->ref == 0 && !empty)
            empty = s;
    }
    if (!ip && empty) {
        ip = empty;
        ip->inum = inum;
        ip->dvalid = 0;
        ip->txn = 0;
        ip->wb_err = 0; /* a new open samples it: no stale failures */
    }
    if (ip)
        ip->ref++;
    spin_unlock(&icache_lock);
    if (!ip) {
        printk_limited("rvfs: all %d in-memory inodes in use\n", RVFS_NINODE_MEM);
        return 0;
    }
    /* type must be right for anyone holding a reference: load it now,
     * unless it is loaded already. Then the lock is not taken, and must
     * not be: the caller may hold it (namei looking up "." in a directory
     * it has locked). dvalid is set last, with release order, by load. */
    /* Loaded with type 0: the slot of an inode being freed by its last
     * put, which another allocator may just have claimed again on disk.
     * The put holds the lock until it has unloaded the slot: wait for it
     * and read the disk. (Never for a live inode, whose lock the caller
     * may hold.) */
    int ok;
    if (__atomic_load_n(&ip->dvalid, __ATOMIC_ACQUIRE) && ip->type != 0) {
        ok = 1;
    } else {
        sleep_lock(&ip->lock);
        ok = load(ip) == 0 && ip->type != 0;
        sleep_unlock(&ip->lock);
    }
    if (!ok) {
        spin_lock(&icache_lock);
        ip->ref--;
        spin_unlock(&icache_lock);
        return 0;
    }
    return ip;
}

/* Claims a free disk inode (type 0) for type; the claim is logged, so the
 * caller is inside a transaction. Two allocators never claim the same
 * inode: each looks and claims with the inode block's buffer locked. */
static struct inode *rvfs_alloc(int type)
{
    if (rvfs_readonly())
        return 0;
    for (uint32_t blk = 0; blk * RVFS_IPB < rvfs_sb.ninodes; blk++) {
        struct buf *b = bread(rvfs_sb.inodestart + blk);
        if (!b)
            return 0;
        uint32_t inum = 0;
        for (uint32_t i = 0; i < RVFS_IPB && !inum; i++) {
            uint32_t n = blk * (uint32_t)RVFS_IPB + i;
            struct rvfs_dinode *d = (struct rvfs_dinode *)b->data + i;
            if (n >= 1 && n < rvfs_sb.ninodes && d->type == 0) {
                memset(d, 0, sizeof *d);
                d->type = (int16_t)type;
                rvfs_log_write(b);
                inum = n;
            }
        }
        brelse(b);
        if (!inum)
            continue;
        struct inode *ip = rvfs_get(inum);
        if (!ip && (b = bread(iblock(inum))) != 0) { /* no room in memory: give it back */
            ((struct rvfs_dinode *)b->data + inum % RVFS_IPB)->type = 0;
            rvfs_log_write(b);
            brelse(b);
        }
        if (ip) {
            sleep_lock(&ip->lock);
            ip->unlinked = 1; /* nameless from birth: freed if it never gets a name */
            sleep_unlock(&ip->lock);
        }
        return ip;
    }
    printk_limited("rvfs: out of inodes\n");
    return 0;
}

static struct inode *rvfs_dup(struct inode *ip)
{
    spin_lock(&icache_lock);
    if (ip->ref < 1)
        panic("rvfs_dup: inode %u has ref %d", ip->inum, ip->ref);
    ip->ref++;
    spin_unlock(&icache_lock);
    return ip;
}

static void rvfs_put(struct inode *ip)
{
    /* Freeing writes the disk, so it needs a transaction, which must be
     * begun before any lock is taken. Most puts free nothing and need
     * none: look first, begin only if this may be the last reference to
     * a nameless inode, and look again under the lock. */
    int in_op = 0;
    for (;;) {
        spin_lock(&icache_lock);
        if (ip->ref < 1)
            panic("rvfs_put: inode %u has ref %d", ip->inum, ip->ref);
        /* nlink is read without the sleep lock: safe at ref 1, for the
         * reason kernel/fs/ramfs/ramfs_inode.c gives. */
        int frees = ip->ref == 1 && ip->dvalid && ip->nlink == 0 && ip->unlinked && ip->type != 0 && !rvfs_readonly();
        if (frees && !in_op) {
            spin_unlock(&icache_lock);
            rvfs_log_begin();
            in_op = 1;
            continue;
        }
        if (frees) {
            spin_unlock(&icache_lock);
            sleep_lock(&ip->lock);
            rvfs_truncate(ip, 0);
            ip->type = 0;
            rvfs_update(ip);
            if (ip->orphaned)
                orphan_table(ip->inum, 0);
            ip->dvalid = 0; /* whoever takes the number next reads it afresh */
            sleep_unlock(&ip->lock);
            spin_lock(&icache_lock);
        }
        ip->ref--;
        spin_unlock(&icache_lock);
        break;
    }
    if (in_op)
        rvfs_log_end();
}

static void rvfs_lock(struct inode *ip)
{
    if (ip->ref < 1)
        panic("rvfs_lock: inode %u has no reference", ip->inum);
    sleep_lock(&ip->lock);
    if (ip->stale) { /* a dropped transaction: what the disk holds */
        ip->stale = 0;
        ip->dvalid = 0;
    }
    load(ip); /* loaded by rvfs_get already, unless freed since */
}

static void rvfs_unlock(struct inode *ip) { sleep_unlock(&ip->lock); }

/* Every call is durable when it returns; what may not be yet is a change
 * of a call still running (another process writing ip). An empty call
 * joins the transaction being built and ends when it is committed, or
 * dropped (counted in wb_err by then). */
static void rvfs_sync(struct inode *ip)
{
    (void)ip;
    rvfs_log_begin();
    rvfs_log_end();
}

static const struct fs_ops rvfs_ops = {
    .name = "rvfs",
    .dev = ROOTDEV + 1,
    .write_max = RVFS_WRITE_MAX,
    .get = rvfs_get,
    .alloc = rvfs_alloc,
    .dup = rvfs_dup,
    .put = rvfs_put,
    .lock = rvfs_lock,
    .unlock = rvfs_unlock,
    .update = rvfs_update,
    .read = rvfs_read,
    .write = rvfs_write,
    .truncate = rvfs_truncate,
    .dir_lookup = rvfs_dir_lookup,
    .dir_add = rvfs_dir_add,
    .dir_remove = rvfs_dir_remove,
    .dir_is_empty = rvfs_dir_is_empty,
    .readonly = rvfs_readonly,
    .sync = rvfs_sync,
};

/* Frees the inodes on the orphan table (each unlinked while open, then
 * the power went before its last close), one transaction each; an entry
 * naming anything else (a free inode, one with a name) is only taken off.
 * Returns how many were freed. */
static int free_orphans(void)
{
    static uint32_t list[RVFS_ORPHAN_MAX];
    struct buf *b = bread(RVFS_ORPHANS);
    if (!b)
        return 0;
    memcpy(list, b->data, sizeof list);
    brelse(b);
    int n = 0;
    for (int i = 0; i < RVFS_ORPHAN_MAX; i++) {
        uint32_t inum = list[i];
        if (!inum)
            continue;
        rvfs_log_begin();
        struct inode *ip = inum != RVFS_ROOTINO ? rvfs_get(inum) : 0;
        int orphan = 0;
        if (ip) {
            sleep_lock(&ip->lock);
            orphan = ip->nlink == 0;
            ip->unlinked = (char)orphan;
            ip->orphaned = (char)orphan;
            sleep_unlock(&ip->lock);
            rvfs_put(ip); /* frees it, and takes it off the table, if it is an orphan */
        }
        if (!orphan) {
            printk("rvfs: the orphan table names inode %u, which is not an orphan; taken off\n", inum);
            orphan_table(inum, 0);
        }
        rvfs_log_end();
        n += orphan;
    }
    return n;
}

const char *rvfs_mountpoint = "/disk";

struct inode *rvfs_mount(void)
{
    uint32_t dev_blocks = bio_nblocks();
    if (dev_blocks == 0)
        return 0; /* no disk: the driver said so at boot */
    struct buf *b = bread(RVFS_SUPERBLOCK);
    if (!b) {
        printk("rvfs: cannot read the superblock; /disk not mounted\n");
        return 0;
    }
    struct rvfs_super sb, want;
    memcpy(&sb, b->data, sizeof sb);
    brelse(b);
    if (sb.magic != RVFS_MAGIC) {
        printk("rvfs: the disk holds no rvfs file system (no superblock magic); /disk not mounted (make one with "
               "rvfs mkfs)\n");
        return 0;
    }
    if (sb.version != RVFS_VERSION || rvfs_layout(sb.size, sb.ninodes, &want) < 0 ||
        memcmp(&want, &sb, sizeof sb) != 0 || sb.size > dev_blocks) {
        printk("rvfs: bad superblock (version %u, %u blocks on a disk of %u, %u inodes, areas %u/%u/%u/%u); /disk not "
               "mounted\n",
               sb.version, sb.size, dev_blocks, sb.ninodes, sb.logstart, sb.inodestart, sb.bmapstart, sb.datastart);
        return 0;
    }
    rvfs_sb = sb;
    int readonly = bio_readonly();
    int blocks, records = rvfs_log_open(&sb, readonly, &blocks);
    if (records < 0)
        return 0;
    for (int i = 0; i < RVFS_NINODE_MEM; i++) {
        sleeplock_init(&icache[i].lock, "rvfs_inode");
        icache[i].fs = &rvfs_ops;
    }
    /* The root is checked before anything is freed. */
    struct inode *root = rvfs_get(RVFS_ROOTINO);
    if (!root || root->type != T_DIR) {
        printk("rvfs: the root inode is not a directory; /disk not mounted\n");
        if (root)
            rvfs_put(root);
        return 0;
    }
    if (readonly)
        printk("rvfs: the disk is read-only; %s mounted read-only\n", rvfs_mountpoint);
    else if (root->nlink < 2)
        rvfs_fail("the root directory's link count is damaged (run rvfs fsck)");
    int orphans = rvfs_readonly() ? 0 : free_orphans();
    printk("rvfs: %s: %u blocks, %u inodes, %u blocks free; log: %d blocks recovered, %d orphan inodes freed\n",
           rvfs_mountpoint, sb.size, sb.ninodes, rvfs_count_free(), blocks, orphans);
    (void)records;
    return root;
}
