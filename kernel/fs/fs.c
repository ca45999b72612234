/* The file system's start-up, and the operations that change the name
 * space: create (files, directories, device nodes), link and unlink. Each
 * locks the directory first and then the entry's inode, the one lock
 * order the file system uses (see kernel/fs/fs.h). */
#include "fs.h"
#include "rvfs/rvfs.h"
#include "initramfs.h"
#include "../panic.h"
#include "../printk.h"
#include "ramfs/ramfs.h"
#include "../string.h"
#include "../../drivers/finisher.h"

/* root=disk: "/" is the disk file system, mounted by the first process;
 * the initramfs is not unpacked. */
static int root_on_disk;

int fs_root_select(const char *name)
{
    if (!name || strcmp(name, "ram") == 0)
        root_on_disk = 0;
    else if (strcmp(name, "disk") == 0)
        root_on_disk = 1;
    else
        return -1;
    return 0;
}

/* Makes path (a directory, or the console's device node) if it is not
 * there (on the disk, inside fs_op_begin/fs_op_end). */
static void fs_make(const char *path, int type, int major)
{
    struct inode *ip = fs_create(path, type, major, 0, 1);
    if (!ip || inode_type(ip) != type)
        printk("fs: could not make %s\n", path);
    if (ip) {
        inode_unlock(ip);
        inode_put(ip);
    }
}

/* The root: a directory that is its own parent. Its nlink counts its "."
 * and "..", as it has no entry anywhere else. */
static void fs_make_root(void)
{
    struct inode *root = ramfs_alloc(T_DIR);
    if (!root || root->inum != ROOTINO)
        panic("fs: cannot make the root directory");
    inode_lock(root);
    if (dir_add(root, ".", ROOTINO) < 0 || dir_add(root, "..", ROOTINO) < 0)
        panic("fs: no memory for the root directory");
    root->nlink = 2;
    inode_unlock(root);
    /* The reference stays: "/" is never freed. */
}

int fs_init(const void *initrd, uint64_t size)
{
    ramfs_init();
    fs_make_root();
    if (root_on_disk)
        return 0; /* "/" comes from the disk: nothing for RAM to hold */
    if (initrd && size)
        initramfs_unpack(initrd, size);
    /* The console is /dev/console whatever the initramfs holds, so that a
     * program (or init) can always open it by name. */
    fs_make("/dev", T_DIR, 0);
    fs_make("/dev/console", T_DEVICE, CONSOLE);
    return 1;
}

/* root=disk: the disk's root becomes "/", with /dev/console (a disk
 * image made from a directory has no device nodes) and /disk (an ordinary
 * directory then: paths under /disk keep working and persist, as
 * everything does). No usable file system refuses to go on. */
static void fs_mount_root(struct inode *root)
{
    if (!root) {
        printk("root=disk: the disk holds no usable rvfs file system to mount as /; refusing to boot (make one with "
               "rvfs mkfs IMAGE SIZE DIR, or boot with root=ram)\n");
        machine_poweroff(2);
    }
    vfs_set_root(root);
    if (inode_readonly(root))
        return;
    fs_op_begin();
    fs_make("/dev", T_DIR, 0);
    fs_make("/dev/console", T_DEVICE, CONSOLE);
    fs_make("/disk", T_DIR, 0);
    if (fs_op_end() < 0)
        printk("fs: could not make /dev/console and /disk on the disk\n");
}

void fs_mount_disk(void)
{
    if (root_on_disk)
        rvfs_mountpoint = "/";
    struct inode *root = rvfs_mount();
    if (root_on_disk) {
        fs_mount_root(root);
        return;
    }
    if (!root)
        return;
    struct inode *dir = fs_create("/disk", T_DIR, 0, 0, 1);
    if (dir)
        inode_unlock(dir);
    if (!dir || inode_type(dir) != T_DIR || vfs_mount(dir, root) < 0) {
        printk("rvfs: cannot make /disk to mount the disk on; not mounted\n");
        if (dir)
            inode_put(dir);
        inode_put(root);
    }
}

/* Gives a new inode ip (locked) its first name in dp (locked). */
static int fs_attach(struct inode *dp, const char *name, struct inode *ip)
{
    if (ip->type == T_DIR) {
        if (dp->nlink >= NLINK_MAX)
            return -1;
        if (dir_add(ip, ".", ip->inum) < 0 || dir_add(ip, "..", dp->inum) < 0)
            return -1;
    }
    if (dir_add(dp, name, ip->inum) < 0)
        return -1;
    if (ip->type == T_DIR) {
        ip->nlink = 2; /* its entry in dp, and its "." */
        dp->nlink++;   /* its ".." */
        inode_update(dp);
    } else {
        ip->nlink = 1;
    }
    inode_update(ip);
    return 0;
}

struct inode *fs_create(const char *path, int type, int major, int minor, int open_existing)
{
    char name[DIRSIZ + 1];
    uint64_t len = strlen(path);
    if (len && path[len - 1] == '/' && type != T_DIR)
        return 0; /* "name/" can only be a directory */
    struct inode *dp = namei_parent(path, name);
    if (!dp)
        return 0;
    inode_lock(dp);
    uint32_t inum = dir_lookup(dp, name, 0);
    if (inum) {
        struct inode *ip = open_existing ? inode_get_in(dp, inum) : 0;
        /* Let go of dp first: the name may be "." or "..", and dp must
         * never be held while locking its parent (or itself). */
        inode_unlock(dp);
        inode_put(dp);
        if (ip) {
            ip = vfs_cross_down(ip); /* a mount point opens as the mounted root */
            inode_lock(ip);
        }
        return ip;
    }
    /* A directory that was removed (while some process still had it as
     * its current directory) takes no new entries. */
    struct inode *ip = dp->nlink > 0 ? inode_alloc_in(dp, type) : 0;
    if (ip) {
        inode_lock(ip);
        ip->major = (short)major;
        ip->minor = (short)minor;
        if (fs_attach(dp, name, ip) < 0) {
            inode_unlock(ip);
            inode_put(ip); /* still nameless: this frees it */
            ip = 0;
        }
    }
    inode_unlock(dp);
    inode_put(dp);
    return ip;
}

int fs_link(const char *oldpath, const char *newpath)
{
    struct inode *ip = namei(oldpath);
    if (!ip)
        return -1;
    if (inode_readonly(ip)) {
        inode_put(ip);
        return -1;
    }
    /* Count the new name first, so the inode cannot vanish (an unlink of
     * its last other name) between here and the new entry. */
    inode_lock(ip);
    int ok = ip->type != T_DIR && ip->nlink > 0 && ip->nlink < NLINK_MAX;
    if (ok) {
        ip->nlink++;
        inode_update(ip);
    }
    inode_unlock(ip);
    if (!ok) {
        inode_put(ip);
        return -1;
    }
    char name[DIRSIZ + 1];
    struct inode *dp = namei_parent(newpath, name);
    ok = 0;
    if (dp) {
        inode_lock(dp);
        /* A hard link stays inside its file system. */
        ok = dp->fs == ip->fs && dp->nlink > 0 && !dir_lookup(dp, name, 0) && dir_add(dp, name, ip->inum) == 0;
        inode_unlock(dp);
        inode_put(dp);
    }
    if (!ok) {
        inode_lock(ip);
        ip->nlink--;
        inode_update(ip);
        inode_unlock(ip);
    }
    inode_put(ip);
    return ok ? 0 : -1;
}

int fs_unlink(const char *path)
{
    char name[DIRSIZ + 1];
    struct inode *dp = namei_parent(path, name);
    if (!dp)
        return -1;
    /* "." and ".." are part of their directory, not names to remove. */
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || inode_readonly(dp)) {
        inode_put(dp);
        return -1;
    }
    inode_lock(dp);
    uint64_t off;
    uint32_t inum = dir_lookup(dp, name, &off);
    struct inode *ip = inum ? inode_get_in(dp, inum) : 0;
    int ok = 0;
    if (ip) {
        inode_lock(ip);
        if (!vfs_is_mountpoint(ip) && (ip->type != T_DIR || dir_is_empty(ip))) {
            dir_remove(dp, off);
            if (ip->type == T_DIR) {
                /* Gone: its entry here, its "." and its ".." (the link
                 * it gave dp). Clearing it means a process still inside
                 * finds nothing there, not even "..". */
                dp->nlink--;
                inode_update(dp);
                ip->nlink = 0;
                inode_truncate(ip, 0);
            } else {
                ip->nlink--;
            }
            inode_update(ip);
            ok = 1;
        }
        inode_unlock(ip);
    }
    inode_unlock(dp);
    if (ip)
        inode_put(ip); /* frees it if that was its last name and use */
    inode_put(dp);
    return ok ? 0 : -1;
}

int fs_symlink(const char *target, const char *path)
{
    /* LAB fs BEGIN: make a T_SYMLINK inode holding target, then give it its name */
    uint64_t len = strlen(target), plen = strlen(path);
    if (len == 0 || len >= MAXPATH || (plen && path[plen - 1] == '/'))
        return -1;
    char name[DIRSIZ + 1];
    struct inode *dp = namei_parent(path, name);
    if (!dp)
        return -1;
    inode_lock(dp);
    int ok = 0;
    struct inode *ip = 0;
    if (dp->nlink > 0 && !dir_lookup(dp, name, 0) && (ip = inode_alloc_in(dp, T_SYMLINK)) != 0) {
        /* The target goes in before the name: nobody can see a link
         * without one. A long target takes a block; without memory the
         * nameless inode is freed again by inode_put below. */
        inode_lock(ip);
        ok = inode_write_from(ip, 0, (uint64_t)target, 0, len) == (int64_t)len && fs_attach(dp, name, ip) == 0;
        inode_unlock(ip);
    }
    inode_unlock(dp);
    inode_put(dp);
    if (ip)
        inode_put(ip);
    return ok ? 0 : -1;
    /* LAB fs STUB
    (void)target;
    (void)path;
    return -1;
       LAB fs END */
}
