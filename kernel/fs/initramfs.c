/* The initramfs: a cpio archive in the "newc" format (as GNU cpio -H newc
 * writes it and Linux's Documentation/driver-api/early-userspace/
 * buffer-format.rst describes it), loaded by QEMU with -initrd. Each
 * entry is a 110-byte ASCII header, the NUL-terminated name padded to a
 * multiple of 4 bytes, then the data padded likewise:
 *
 *   magic "070701" (or "070702": the same plus a checksum we ignore),
 *   then 13 fields of 8 hex digits: ino, mode, uid, gid, nlink, mtime,
 *   filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check.
 *
 * The archive ends with an entry named "TRAILER!!!". Hard links share
 * (dev, ino); the data comes with one of them (GNU cpio: the last), the
 * others have filesize 0. */
#include "initramfs.h"
#include "fs.h"
#include "../printk.h"
#include "ramfs/ramfs.h"
#include "../string.h"

#define NEWC_HEADER 110
enum newc_field {
    F_INO,
    F_MODE,
    F_UID,
    F_GID,
    F_NLINK,
    F_MTIME,
    F_FILESIZE,
    F_DEVMAJOR,
    F_DEVMINOR,
    F_RDEVMAJOR,
    F_RDEVMINOR,
    F_NAMESIZE,
    F_CHECK,
    NFIELDS
};

/* File type bits of the mode (POSIX <sys/stat.h> values, which cpio keeps). */
#define CPIO_IFMT 0170000
#define CPIO_IFDIR 0040000
#define CPIO_IFREG 0100000
#define CPIO_IFCHR 0020000
#define CPIO_IFBLK 0060000

struct cpio_entry {
    uint64_t f[NFIELDS];
    const char *name;
    const uint8_t *data; /* f[F_FILESIZE] bytes */
};

struct unpack_counts {
    int files, dirs, links, devices, skipped;
    uint64_t bytes;
};

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int hex8(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return -1;
        v = v * 16 + (uint64_t)d;
    }
    *out = v;
    return 0;
}

static uint64_t align4(uint64_t x) { return (x + 3) & ~3UL; }

/* Parses the entry at byte *pos of the archive and moves *pos past it.
 * Returns 1, 0 at the trailer, -1 if the archive is malformed (every size
 * is checked against the archive's end before it is used). */
static int cpio_next(const uint8_t *base, uint64_t size, uint64_t *pos, struct cpio_entry *e)
{
    uint64_t p = *pos;
    if (p > size || size - p < NEWC_HEADER)
        return -1;
    const char *h = (const char *)base + p;
    if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
        return -1;
    for (int i = 0; i < NFIELDS; i++)
        if (hex8(h + 6 + 8 * i, &e->f[i]) < 0)
            return -1;
    uint64_t namesize = e->f[F_NAMESIZE], filesize = e->f[F_FILESIZE];
    if (namesize == 0 || namesize > size - p - NEWC_HEADER)
        return -1;
    e->name = h + NEWC_HEADER;
    if (e->name[namesize - 1] != 0)
        return -1;
    uint64_t data = align4(p + NEWC_HEADER + namesize);
    if (data > size || filesize > size - data)
        return -1;
    e->data = base + data;
    *pos = align4(data + filesize);
    return strcmp(e->name, "TRAILER!!!") == 0 ? 0 : 1;
}

/* Archives name entries "bin/sh", "./bin/sh" or "/bin/sh": all the same. */
static const char *clean_name(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            return name;
    }
}

/* Whether every component of path fits a directory entry. */
static int names_fit(const char *path)
{
    int len = 0;
    for (const char *s = path;; s++) {
        if (*s == '/' || !*s) {
            if (len > DIRSIZ)
                return 0;
            len = 0;
            if (!*s)
                return 1;
        } else {
            len++;
        }
    }
}

/* Creates the directories leading to path that the archive did not list
 * before it (cpio does not promise any order). */
static int make_parents(const char *path)
{
    char prefix[MAXPATH];
    for (const char *s = path; *s; s++) {
        if (*s != '/')
            continue;
        uint64_t len = (uint64_t)(s - path);
        if (len >= sizeof prefix)
            return -1;
        memcpy(prefix, path, len);
        prefix[len] = 0;
        struct inode *ip = fs_create(prefix, T_DIR, 0, 0, 1);
        if (!ip)
            return -1;
        int ok = inode_type(ip) == T_DIR;
        inode_unlock(ip);
        inode_put(ip);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Hard links seen so far: the first name each (dev, ino) got. The names
 * point into the archive, which stays put while we unpack. */
#define LINKS_MAX 64
static struct {
    uint64_t dev, ino;
    const char *name;
} links[LINKS_MAX];
static int nlinks;

static uint64_t link_dev(const struct cpio_entry *e) { return e->f[F_DEVMAJOR] << 32 | e->f[F_DEVMINOR]; }

static const char *link_find(const struct cpio_entry *e)
{
    for (int i = 0; i < nlinks; i++)
        if (links[i].dev == link_dev(e) && links[i].ino == e->f[F_INO])
            return links[i].name;
    return 0;
}

static void link_remember(const struct cpio_entry *e, const char *name)
{
    if (nlinks < LINKS_MAX) { /* past that, further links get copies */
        links[nlinks].dev = link_dev(e);
        links[nlinks].ino = e->f[F_INO];
        links[nlinks].name = name;
        nlinks++;
    }
}

/* A regular file, or another name for one already unpacked. */
static int unpack_file(const struct cpio_entry *e, const char *name, struct unpack_counts *c)
{
    const char *first = e->f[F_NLINK] > 1 ? link_find(e) : 0;
    struct inode *ip = 0;
    if (first) {
        if (fs_link(first, name) == 0 && (ip = namei(name)) != 0)
            inode_lock(ip);
    } else if ((ip = fs_create(name, T_FILE, 0, 0, 1)) != 0) {
        if (inode_type(ip) != T_FILE) {
            inode_unlock(ip);
            inode_put(ip);
            return -1;
        }
        inode_truncate(ip, 0); /* a name listed twice: the last one wins */
        if (e->f[F_NLINK] > 1)
            link_remember(e, name);
    }
    if (!ip)
        return -1;
    uint64_t n = e->f[F_FILESIZE];
    int64_t got = n ? inode_write_from(ip, 0, (uint64_t)e->data, 0, n) : 0;
    inode_unlock(ip);
    inode_put(ip);
    if (got != (int64_t)n) {
        printk("initramfs: %s: out of memory after %ld of %lu bytes\n", name, got < 0 ? 0L : got, n);
        return -1;
    }
    if (first)
        c->links++;
    else
        c->files++;
    c->bytes += n;
    return 0;
}

static int unpack_node(const char *name, int type, uint64_t major, uint64_t minor)
{
    if (major > NLINK_MAX || minor > NLINK_MAX) /* they must fit a short */
        return -1;
    struct inode *ip = fs_create(name, type, (int)major, (int)minor, type == T_DIR);
    if (!ip)
        return -1;
    int ok = inode_type(ip) == type;
    inode_unlock(ip);
    inode_put(ip);
    return ok ? 0 : -1;
}

/* Unpacks one entry; returns 0 or why it could not. */
static const char *unpack_entry(const struct cpio_entry *e, const char *name, struct unpack_counts *c)
{
    if (!names_fit(name))
        return "a name longer than DIRSIZ (14) bytes";
    if (make_parents(name) < 0)
        return "cannot make its directory";
    switch (e->f[F_MODE] & CPIO_IFMT) {
    case CPIO_IFDIR:
        if (unpack_node(name, T_DIR, 0, 0) < 0)
            return "cannot make the directory";
        c->dirs++;
        return 0;
    case CPIO_IFREG:
        return unpack_file(e, name, c) < 0 ? "cannot make the file" : 0;
    case CPIO_IFCHR:
    case CPIO_IFBLK:
        if (unpack_node(name, T_DEVICE, e->f[F_RDEVMAJOR], e->f[F_RDEVMINOR]) < 0)
            return "cannot make the device";
        c->devices++;
        return 0;
    default:
        return "not a file, directory or device (no symbolic links, fifos or sockets)";
    }
}

void initramfs_unpack(const void *start, uint64_t size)
{
    struct unpack_counts c = {0, 0, 0, 0, 0, 0};
    struct cpio_entry e;
    uint64_t pos = 0;
    int r;
    while ((r = cpio_next(start, size, &pos, &e)) > 0) {
        const char *name = clean_name(e.name);
        if (!*name || strcmp(name, ".") == 0)
            continue; /* the root itself */
        const char *why = unpack_entry(&e, name, &c);
        if (why) {
            printk("initramfs: %s: skipped: %s\n", name, why);
            c.skipped++;
        }
    }
    if (r < 0)
        printk("initramfs: malformed archive at byte %lu: stopped there\n", pos);
    printk("initramfs: %d files (%lu KiB), %d directories, %d hard links, %d devices unpacked; %d skipped\n", c.files,
           c.bytes / 1024, c.dirs, c.links, c.devices, c.skipped);
}
