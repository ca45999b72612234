/* A read-only file system over the initramfs (cpio "newc" archive, as the
 * build packs it and QEMU loads it with -initrd). File data stays where
 * QEMU put it; the frames are reserved from the allocator. */
#include "fs.h"
#include "printk.h"
#include "spinlock.h"
#include "string.h"

#define MAX_INODES 256
#define PATH_MAX_LEN 128

struct inode {
    char path[PATH_MAX_LEN]; /* normalized: no leading "/" or "./"; root is "" */
    int type;
    const uint8_t *data;
    uint64_t size;
    uint32_t ino;
    int ref;
};

static struct inode inodes[MAX_INODES];
static int ninodes;
static struct spinlock fs_lock = {0, "fs", 0};

static uint64_t hex8(const char *s)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        v = v * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
    }
    return v;
}

static const char *normalize(const char *p)
{
    for (;;) {
        if (p[0] == '/')
            p++;
        else if (p[0] == '.' && p[1] == '/')
            p += 2;
        else if (p[0] == '.' && p[1] == 0)
            p++;
        else
            return p;
    }
}

static struct inode *add(const char *path, int type, const uint8_t *data, uint64_t size)
{
    if (ninodes == MAX_INODES)
        return 0;
    struct inode *ip = &inodes[ninodes];
    strncpy_safe(ip->path, normalize(path), sizeof ip->path);
    ip->type = type;
    ip->data = data;
    ip->size = size;
    ip->ino = (uint32_t)++ninodes;
    return ip;
}

void fs_init(const void *initrd, uint64_t size)
{
    add("", T_DIR, 0, 0);
    add("dev", T_DIR, 0, 0);
    add("dev/console", T_DEVICE, 0, 0);
    const uint8_t *p = initrd, *end = p + size;
    int files = 0;
    while (p && p + 110 <= end && memcmp(p, "070701", 6) == 0) {
        const char *h = (const char *)p;
        uint64_t mode = hex8(h + 14), filesize = hex8(h + 54), namesize = hex8(h + 94);
        const char *name = h + 110;
        const uint8_t *data = p + ((110 + namesize + 3) & ~3UL);
        if (data + filesize > end || (const uint8_t *)name + namesize > end)
            break;
        if (strcmp(name, "TRAILER!!!") == 0)
            break;
        if ((mode & 0170000) == 0040000 && *normalize(name))
            add(name, T_DIR, 0, 0);
        else if ((mode & 0170000) == 0100000 && add(name, T_FILE, data, filesize))
            files++;
        p = data + ((filesize + 3) & ~3UL);
    }
    printk("initramfs: %d files\n", files);
}

struct inode *namei(const char *path)
{
    const char *n = normalize(path);
    spin_lock(&fs_lock);
    for (int i = 0; i < ninodes; i++)
        if (strcmp(inodes[i].path, n) == 0) {
            inodes[i].ref++;
            spin_unlock(&fs_lock);
            return &inodes[i];
        }
    spin_unlock(&fs_lock);
    return 0;
}

struct inode *inode_dup(struct inode *ip)
{
    spin_lock(&fs_lock);
    ip->ref++;
    spin_unlock(&fs_lock);
    return ip;
}

void inode_put(struct inode *ip)
{
    spin_lock(&fs_lock);
    ip->ref--;
    spin_unlock(&fs_lock);
}

int inode_type(struct inode *ip) { return ip->type; }
uint64_t inode_size(struct inode *ip) { return ip->size; }

int64_t inode_read(struct inode *ip, void *dst, uint64_t off, uint64_t n)
{
    if (ip->type != T_FILE || off >= ip->size)
        return 0;
    if (n > ip->size - off)
        n = ip->size - off;
    memcpy(dst, ip->data + off, n);
    return (int64_t)n;
}

void inode_stat(struct inode *ip, struct stat *st)
{
    st->dev = 1;
    st->ino = ip->ino;
    st->type = (short)ip->type;
    st->nlink = 1;
    st->size = ip->size;
}
