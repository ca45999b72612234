/* rvfs: the host tool for rvos's disk file system (kernel/fs/rvfs/rvfs_format.h).
 *
 *   rvfs mkfs IMAGE SIZE [DIR]   make IMAGE a file system of SIZE (bytes,
 *                                or with K, M or G), holding a copy of
 *                                the tree DIR (files, directories, symbolic
 *                                links, hard links) if given
 *   rvfs fsck IMAGE              check IMAGE; exit 0 if it is consistent,
 *                                1 with one line per problem if not, 2 if
 *                                it cannot be read at all
 *   rvfs fsck -y IMAGE           repair what the check finds (the bitmap
 *                                both ways, link counts, orphans, bad
 *                                pointers and entries, unreachable inodes
 *                                into /lost+found), then check again
 *   rvfs fragment IMAGE          for tests only: scatter the free space
 *                                of a fresh image (rvfs_fragment)
 *   rvfs corrupt IMAGE KIND      for tests only: damage a fresh, empty
 *                                image (as mkfs makes it) one way, so the
 *                                kernel's handling of a corrupt disk can
 *                                be tried (rvfs_corrupt lists the kinds)
 *
 * The whole image is worked on in memory, so a truncated or corrupt file
 * can never make the tool read past what it loaded. Built for the build
 * machine by the host project (tests/host/project); with RVFS_NO_MAIN the
 * same file is linked into the host unit test (tests/host/test_rvfs.c). */
#include "rvfs.h"
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T_DIR 1
#define T_FILE 2
#define T_DEVICE 3
#define T_SYMLINK 4

/* ------------------------------------------------------------ the image */

struct img {
    uint8_t *b;    /* the image, nblk blocks */
    uint32_t nblk; /* blocks loaded */
    struct rvfs_super sb;
    uint32_t next_inum; /* mkfs: next inode to hand out */
    uint32_t next_blk;  /* mkfs: next data block to hand out */
};

static uint8_t *blk(struct img *im, uint32_t n) { return im->b + (uint64_t)n * RVFS_BSIZE; }

static struct rvfs_dinode *dinode(struct img *im, uint32_t inum)
{
    return (struct rvfs_dinode *)blk(im, im->sb.inodestart + inum / RVFS_IPB) + inum % RVFS_IPB;
}

static int bit_get(struct img *im, uint32_t b)
{
    return blk(im, im->sb.bmapstart + b / RVFS_BPB)[b % RVFS_BPB / 8] >> (b % 8) & 1;
}

static void bit_set(struct img *im, uint32_t b)
{
    blk(im, im->sb.bmapstart + b / RVFS_BPB)[b % RVFS_BPB / 8] |= (uint8_t)(1 << (b % 8));
}

/* ------------------------------------------------------------------ log */

static uint32_t crc(uint32_t c, const void *p, uint64_t n)
{
    static uint32_t table[256];
    static int ready;
    if (!ready) {
        rvfs_crc_table(table);
        ready = 1;
    }
    return rvfs_crc(table, c, p, n);
}

void rvfs_log_super_put(uint8_t *image, const struct rvfs_super *sb, uint32_t seq)
{
    struct rvfs_logsuper ls = {.magic = RVFS_LOG_MAGIC, .seq = seq};
    ls.csum = crc(0, &ls, 2 * sizeof(uint32_t));
    uint8_t *b = image + (uint64_t)sb->logstart * RVFS_BSIZE;
    memset(b, 0, RVFS_BSIZE);
    memcpy(b, &ls, sizeof ls);
}

/* The checksum a record's descriptor d (one block) must carry, its n
 * blocks at data. */
static uint32_t record_crc(const uint8_t *d, const uint8_t *data, uint32_t n)
{
    uint8_t desc[RVFS_BSIZE];
    memcpy(desc, d, RVFS_BSIZE);
    ((struct rvfs_logrec *)desc)->csum = 0;
    uint32_t c = crc(0, desc, RVFS_BSIZE);
    return crc(c, data, (uint64_t)n * RVFS_BSIZE);
}

void rvfs_log_put(uint8_t *image, const struct rvfs_super *sb, uint32_t pos, uint32_t seq, uint32_t n,
                  const uint32_t *home, const uint8_t *data)
{
    uint8_t *d = image + (uint64_t)(sb->logstart + 1 + pos) * RVFS_BSIZE;
    memset(d, 0, RVFS_BSIZE);
    struct rvfs_logrec *r = (struct rvfs_logrec *)d;
    r->magic = RVFS_REC_MAGIC;
    r->seq = seq;
    r->n = n;
    memcpy(r->home, home, n * sizeof *home);
    memcpy(d + RVFS_BSIZE, data, (uint64_t)n * RVFS_BSIZE);
    r->csum = record_crc(d, d + RVFS_BSIZE, n);
}

/* ----------------------------------------------------------------- mkfs */

static uint32_t mk_balloc(struct img *im)
{
    while (im->next_blk < im->sb.size && bit_get(im, im->next_blk))
        im->next_blk++; /* kept back (rvfs_fragment) */
    if (im->next_blk >= im->sb.size)
        return 0;
    uint32_t b = im->next_blk++;
    bit_set(im, b);
    memset(blk(im, b), 0, RVFS_BSIZE);
    return b;
}

static uint32_t mk_ialloc(struct img *im, int type)
{
    if (im->next_inum >= im->sb.ninodes)
        return 0;
    uint32_t inum = im->next_inum++;
    struct rvfs_dinode *d = dinode(im, inum);
    memset(d, 0, sizeof *d);
    d->type = (int16_t)type;
    return inum;
}

/* The block holding file block fb of inum, allocated (with the tables on
 * the way) as needed; 0 when the disk is full or fb is past the largest
 * file. */
static uint32_t mk_bmap(struct img *im, uint32_t inum, uint32_t fb)
{
    struct rvfs_dinode *d = dinode(im, inum);
    uint32_t *slot;
    if (fb < RVFS_NDIRECT) {
        slot = &d->addrs[fb];
    } else if ((fb -= RVFS_NDIRECT) < RVFS_NINDIRECT) {
        if (!d->addrs[RVFS_NDIRECT] && !(d->addrs[RVFS_NDIRECT] = mk_balloc(im)))
            return 0;
        slot = (uint32_t *)blk(im, d->addrs[RVFS_NDIRECT]) + fb;
    } else if ((fb -= RVFS_NINDIRECT) < RVFS_NINDIRECT * RVFS_NINDIRECT) {
        if (!d->addrs[RVFS_NDIRECT + 1] && !(d->addrs[RVFS_NDIRECT + 1] = mk_balloc(im)))
            return 0;
        uint32_t *top = (uint32_t *)blk(im, d->addrs[RVFS_NDIRECT + 1]) + fb / RVFS_NINDIRECT;
        if (!*top && !(*top = mk_balloc(im)))
            return 0;
        slot = (uint32_t *)blk(im, *top) + fb % RVFS_NINDIRECT;
    } else {
        return 0;
    }
    if (!*slot)
        *slot = mk_balloc(im);
    return *slot;
}

static int mk_append(struct img *im, uint32_t inum, const void *data, uint64_t n)
{
    struct rvfs_dinode *d = dinode(im, inum);
    const uint8_t *p = data;
    while (n > 0) {
        uint32_t off = d->size % RVFS_BSIZE, chunk = RVFS_BSIZE - off;
        if (chunk > n)
            chunk = (uint32_t)n;
        if ((uint64_t)d->size + chunk > RVFS_MAXFILE)
            return -1;
        uint32_t b = mk_bmap(im, inum, d->size / RVFS_BSIZE);
        if (!b)
            return -1;
        memcpy(blk(im, b) + off, p, chunk);
        d->size += chunk;
        p += chunk;
        n -= chunk;
    }
    return 0;
}

static int mk_dirent(struct img *im, uint32_t dir, const char *name, uint32_t inum)
{
    struct rvfs_dirent de;
    memset(&de, 0, sizeof de);
    de.inum = (uint16_t)inum;
    for (int i = 0; i < RVFS_DIRSIZ && name[i]; i++)
        de.name[i] = name[i];
    return mk_append(im, dir, &de, sizeof de);
}

static uint32_t mk_dir(struct img *im, uint32_t parent)
{
    uint32_t inum = mk_ialloc(im, T_DIR);
    if (!inum || mk_dirent(im, inum, ".", inum) < 0 || mk_dirent(im, inum, "..", parent ? parent : inum) < 0)
        return 0;
    dinode(im, inum)->nlink = 2; /* "." and its name in the parent (the root: "..") */
    if (parent)
        dinode(im, parent)->nlink++;
    return inum;
}

/* Host inode numbers already copied, for hard links. */
struct seen {
    dev_t dev;
    ino_t ino;
    uint32_t inum;
};
static struct seen *seen;
static size_t nseen, capseen;

static int mk_tree(struct img *im, uint32_t dir, const char *path, FILE *err)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(err, "rvfs mkfs: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != 0) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (strlen(e->d_name) > RVFS_DIRSIZ) {
            fprintf(err, "rvfs mkfs: %s/%s: name longer than %d bytes, skipped\n", path, e->d_name, RVFS_DIRSIZ);
            continue;
        }
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(sub, &st) < 0)
            continue;
        uint32_t inum = 0;
        if (S_ISDIR(st.st_mode)) {
            inum = mk_dir(im, dir);
            rc = !inum || mk_dirent(im, dir, e->d_name, inum) < 0 || mk_tree(im, inum, sub, err) < 0 ? -1 : 0;
            continue;
        }
        for (size_t i = 0; i < nseen && !inum; i++)
            if (seen[i].dev == st.st_dev && seen[i].ino == st.st_ino)
                inum = seen[i].inum;
        if (inum) { /* another name for a file already copied */
            dinode(im, inum)->nlink++;
            rc = mk_dirent(im, dir, e->d_name, inum);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            char target[256];
            ssize_t n = readlink(sub, target, sizeof target);
            if (n <= 0 || n >= 128 || !(inum = mk_ialloc(im, T_SYMLINK)) ||
                mk_append(im, inum, target, (uint64_t)n) < 0)
                rc = -1;
        } else if (S_ISREG(st.st_mode)) {
            FILE *f = fopen(sub, "rb");
            if (!f || !(inum = mk_ialloc(im, T_FILE))) {
                rc = -1;
            } else {
                char buf[8192];
                size_t n;
                while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0)
                    rc = mk_append(im, inum, buf, n);
            }
            if (f)
                fclose(f);
        } else {
            fprintf(err, "rvfs mkfs: %s: not a file, directory or link, skipped\n", sub);
            continue;
        }
        if (rc == 0) {
            dinode(im, inum)->nlink = 1;
            rc = mk_dirent(im, dir, e->d_name, inum);
            if (nseen == capseen) {
                capseen = capseen ? 2 * capseen : 64;
                seen = realloc(seen, capseen * sizeof *seen);
            }
            seen[nseen++] = (struct seen){st.st_dev, st.st_ino, inum};
        }
        if (rc < 0)
            fprintf(err, "rvfs mkfs: %s: does not fit (out of blocks or inodes, or too big)\n", sub);
    }
    closedir(d);
    return rc;
}

static int write_image(const char *path, struct img *im)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(im->b, RVFS_BSIZE, im->nblk, f) == im->nblk;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int rvfs_mkfs(const char *path, uint64_t bytes, const char *tree, FILE *err)
{
    struct img im;
    memset(&im, 0, sizeof im);
    uint64_t nblk = bytes / RVFS_BSIZE;
    uint32_t ninodes = nblk / 8 > 65535 ? 65535 : (uint32_t)(nblk / 8);
    if (nblk > UINT32_MAX || rvfs_layout((uint32_t)nblk, ninodes, &im.sb) < 0) {
        fprintf(err, "rvfs mkfs: %llu bytes: not a size rvfs supports (%u KiB to %u MiB)\n", (unsigned long long)bytes,
                2 + 1 + RVFS_LOG_MAX + 64 + 16, RVFS_MAX_BMAP * RVFS_BPB / 1024);
        return -1;
    }
    im.nblk = (uint32_t)nblk;
    im.b = calloc(nblk, RVFS_BSIZE);
    if (!im.b)
        return -1;
    memcpy(blk(&im, RVFS_SUPERBLOCK), &im.sb, sizeof im.sb);
    rvfs_log_super_put(im.b, &im.sb, 1);
    for (uint32_t b = 0; b < im.sb.datastart; b++)
        bit_set(&im, b);
    im.next_blk = im.sb.datastart;
    im.next_inum = RVFS_ROOTINO;
    int rc = mk_dir(&im, 0) == RVFS_ROOTINO ? 0 : -1;
    nseen = 0;
    if (rc == 0 && tree)
        rc = mk_tree(&im, RVFS_ROOTINO, tree, err);
    if (rc == 0 && write_image(path, &im) < 0) {
        fprintf(err, "rvfs mkfs: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    free(im.b);
    return rc;
}

/* ----------------------------------------------------------------- fsck */

struct fsck {
    struct img im;
    FILE *out;
    const char *name;
    int problems;
    int fix;           /* fsck -y: repair what is found, in im */
    int fixes;         /* repairs made */
    uint8_t *refs;     /* per block: how many pointers name it (saturating) */
    uint16_t *links;   /* per inode: directory entries naming it */
    uint16_t *subdirs; /* per directory inode: ".." entries naming it */
    uint8_t *visited;  /* per inode: directory walked */
    uint32_t *parent;  /* per directory inode: the directory whose entry led here */
};

static void problem(struct fsck *c, const char *fmt, ...)
{
    if (++c->problems <= 100) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(c->out, "rvfs fsck: %s: ", c->name);
        vfprintf(c->out, fmt, ap);
        fputc('\n', c->out);
        va_end(ap);
    }
}

static int check_super(struct fsck *c)
{
    struct rvfs_super *sb = &c->im.sb, want;
    if (c->im.nblk < 2) {
        problem(c, "image of %u blocks is too small to hold a superblock", c->im.nblk);
        return -1;
    }
    memcpy(sb, blk(&c->im, RVFS_SUPERBLOCK), sizeof *sb);
    if (sb->magic != RVFS_MAGIC) {
        problem(c, "bad superblock: magic %08x, not %08x (not an rvfs image)", sb->magic, RVFS_MAGIC);
        return -1;
    }
    if (sb->version != RVFS_VERSION) {
        problem(c, "bad superblock: version %u, this tool knows %u", sb->version, RVFS_VERSION);
        return -1;
    }
    if (rvfs_layout(sb->size, sb->ninodes, &want) < 0 || memcmp(&want, sb, sizeof want) != 0) {
        problem(c,
                "bad superblock: areas do not add up (size %u, %u inodes, log %u+%u, inodes at %u, bitmap at %u, data "
                "at %u)",
                sb->size, sb->ninodes, sb->logstart, sb->nlog, sb->inodestart, sb->bmapstart, sb->datastart);
        return -1;
    }
    if (sb->size > c->im.nblk) {
        problem(c, "image truncated: the superblock says %u blocks, the file has %u", sb->size, c->im.nblk);
        return -1;
    }
    return 0;
}

/* Replays the log the way the kernel's mount would (rvfs_log_open): the
 * chain of complete, checksummed records from the start of the record
 * area, in sequence; to the copy in memory only (fsck never writes the
 * image). A damaged log superblock is a problem; a record that is
 * incomplete or damaged ends the chain, as it does for mount (a crash in
 * the middle of a commit leaves one), and is noted. */
static int replay_log(struct fsck *c)
{
    const struct rvfs_super *sb = &c->im.sb;
    struct rvfs_logsuper ls;
    memcpy(&ls, blk(&c->im, sb->logstart), sizeof ls);
    if (ls.magic == RVFS_MAGIC && ls.seq == 0) {
        ls.seq = 1; /* an old image's clean log */
    } else if (ls.magic != RVFS_LOG_MAGIC || ls.csum != crc(0, &ls, 2 * sizeof(uint32_t))) {
        problem(c, "the log superblock is damaged (magic %08x)", ls.magic);
        return -1;
    }
    uint32_t pos = 0, seq = ls.seq, records = 0, blocks = 0;
    while (pos + 1 < sb->nlog) {
        const uint8_t *d = blk(&c->im, sb->logstart + 1 + pos);
        const struct rvfs_logrec *r = (const struct rvfs_logrec *)d;
        if (r->magic != RVFS_REC_MAGIC || r->seq != seq)
            break;
        int sane = r->n >= 1 && r->n <= sb->nlog - 1 - pos;
        for (uint32_t i = 0; sane && i < r->n; i++)
            sane = r->home[i] == RVFS_ORPHANS || (r->home[i] >= sb->inodestart && r->home[i] < sb->size);
        if (!sane || record_crc(d, d + RVFS_BSIZE, r->n) != r->csum) {
            fprintf(c->out, "rvfs fsck: %s: note: log record %u (sequence %u) is incomplete or damaged: not replayed\n",
                    c->name, records, seq);
            break;
        }
        for (uint32_t i = 0; i < r->n; i++)
            memcpy(blk(&c->im, r->home[i]), d + (uint64_t)(1 + i) * RVFS_BSIZE, RVFS_BSIZE);
        records++;
        blocks += r->n;
        pos += 1 + r->n;
        seq++;
    }
    if (records)
        fprintf(c->out, "rvfs fsck: %s: the log held %u committed records (%u blocks); checked as recovered\n", c->name,
                records, blocks);
    return 0;
}

/* fsck -y: the log's records were applied to the copy in memory; a
 * repaired image must not have them replayed over the repairs, so the log
 * is emptied (a fresh log superblock: the first record now expected is
 * one past every record there). 1 if it changed anything. */
static int replay_log_clear(struct fsck *c)
{
    struct rvfs_logsuper ls;
    memcpy(&ls, blk(&c->im, c->im.sb.logstart), sizeof ls);
    uint32_t seq = ls.magic == RVFS_LOG_MAGIC ? ls.seq : 1;
    const struct rvfs_logrec *r = (const struct rvfs_logrec *)blk(&c->im, c->im.sb.logstart + 1);
    if (r->magic != RVFS_REC_MAGIC || r->seq != seq)
        return 0;
    uint32_t next = seq;
    for (uint32_t pos = 0; pos + 1 < c->im.sb.nlog; pos++) {
        r = (const struct rvfs_logrec *)blk(&c->im, c->im.sb.logstart + 1 + pos);
        if (r->magic == RVFS_REC_MAGIC && r->seq >= next)
            next = r->seq + 1;
    }
    rvfs_log_super_put(c->im.b, &c->im.sb, next);
    return 1;
}

/* Counts a pointer to block b from inode inum; 0 if b is a sane data block. */
static int ref_block(struct fsck *c, uint32_t inum, uint32_t b, const char *what)
{
    if (b < c->im.sb.datastart || b >= c->im.sb.size) {
        problem(c, "inode %u: %s pointer %u lies outside the data area (%u..%u)", inum, what, b, c->im.sb.datastart,
                c->im.sb.size - 1);
        return -1;
    }
    if (c->refs[b] && c->fix) {
        problem(c, "block %u is used more than once (again by inode %u): the second pointer cleared", b, inum);
        return -1;
    }
    if (c->refs[b]++ == 1)
        problem(c, "block %u is used more than once (again by inode %u)", b, inum);
    if (c->refs[b] > 2)
        c->refs[b] = 2;
    return 0;
}

/* File block fb of inum's block, or 0 (a hole, or a bad pointer already
 * reported). Reading only: nothing is counted here. */
static uint32_t fs_bmap(struct fsck *c, const struct rvfs_dinode *d, uint32_t fb)
{
    const struct rvfs_super *sb = &c->im.sb;
#define OK(b) ((b) >= sb->datastart && (b) < sb->size)
    if (fb < RVFS_NDIRECT)
        return OK(d->addrs[fb]) ? d->addrs[fb] : 0;
    fb -= RVFS_NDIRECT;
    if (fb < RVFS_NINDIRECT) {
        uint32_t ind = d->addrs[RVFS_NDIRECT];
        return OK(ind) && OK(((uint32_t *)blk(&c->im, ind))[fb]) ? ((uint32_t *)blk(&c->im, ind))[fb] : 0;
    }
    fb -= RVFS_NINDIRECT;
    uint32_t dind = d->addrs[RVFS_NDIRECT + 1];
    if (!OK(dind) || fb >= RVFS_NINDIRECT * RVFS_NINDIRECT)
        return 0;
    uint32_t ind = ((uint32_t *)blk(&c->im, dind))[fb / RVFS_NINDIRECT];
    if (!OK(ind))
        return 0;
    uint32_t b = ((uint32_t *)blk(&c->im, ind))[fb % RVFS_NINDIRECT];
    return OK(b) ? b : 0;
#undef OK
}

/* Checks one pointer table (depth 1: of data blocks; 2: of tables) whose
 * entries cover file blocks from base on; nblocks is how many the size
 * allows. */
static void check_table(struct fsck *c, uint32_t inum, uint32_t tb, int depth, uint64_t base, uint64_t nblocks)
{
    uint32_t *t = (uint32_t *)blk(&c->im, tb);
    uint64_t span = depth == 2 ? RVFS_NINDIRECT : 1;
    for (uint32_t i = 0; i < RVFS_NINDIRECT; i++) {
        if (!t[i])
            continue;
        if (base + i * span >= nblocks) {
            problem(c, "inode %u: a block pointer past the end of the file (size says %llu blocks)", inum,
                    (unsigned long long)nblocks);
            if (c->fix) {
                t[i] = 0;
                c->fixes++;
                continue;
            }
        }
        int bad = ref_block(c, inum, t[i], depth == 2 ? "indirect" : "data") != 0;
        if (bad && c->fix) {
            t[i] = 0;
            c->fixes++;
        } else if (!bad && depth == 2) {
            check_table(c, inum, t[i], 1, base + i * span, nblocks);
        }
    }
}

/* In fsck -y, a bad pointer p is cleared (its block comes back with the
 * bitmap rebuilt). */
static void drop_ptr(struct fsck *c, uint32_t *p)
{
    if (c->fix) {
        *p = 0;
        c->fixes++;
    }
}

static void check_inode(struct fsck *c, uint32_t inum)
{
    struct rvfs_dinode *d = dinode(&c->im, inum);
    if (d->type == 0)
        return;
    if (d->type < T_DIR || d->type > T_SYMLINK) {
        problem(c, "inode %u: unknown type %d", inum, d->type);
        if (c->fix) { /* cleared: nothing can read it */
            memset(d, 0, sizeof *d);
            c->fixes++;
        }
        return;
    }
    if (d->size > RVFS_MAXFILE) {
        problem(c, "inode %u: size %u is past the largest file", inum, d->size);
        if (c->fix) {
            d->size = (uint32_t)RVFS_MAXFILE;
            c->fixes++;
        }
    }
    uint64_t nblocks = ((uint64_t)d->size + RVFS_BSIZE - 1) / RVFS_BSIZE;
    for (uint32_t i = 0; i < RVFS_NDIRECT; i++)
        if (d->addrs[i]) {
            if (i >= nblocks) {
                problem(c, "inode %u: a block pointer past the end of the file (size %u)", inum, d->size);
                if (c->fix) {
                    drop_ptr(c, &d->addrs[i]);
                    continue;
                }
            }
            if (ref_block(c, inum, d->addrs[i], "data") != 0)
                drop_ptr(c, &d->addrs[i]);
        }
    uint32_t *ind = &d->addrs[RVFS_NDIRECT], *dind = &d->addrs[RVFS_NDIRECT + 1];
    if (*ind && ref_block(c, inum, *ind, "indirect") != 0)
        drop_ptr(c, ind);
    else if (*ind)
        check_table(c, inum, *ind, 1, RVFS_NDIRECT, nblocks);
    if (*dind && ref_block(c, inum, *dind, "double-indirect") != 0)
        drop_ptr(c, dind);
    else if (*dind)
        check_table(c, inum, *dind, 2, RVFS_NDIRECT + RVFS_NINDIRECT, nblocks);
}

static int dirent_is(const struct rvfs_dirent *de, const char *name)
{
    return strncmp(de->name, name, RVFS_DIRSIZ) == 0;
}

/* Walks directory inum (reached from parent), counting the names it gives
 * and walking its subdirectories. Iterative depth would be nicer; the
 * depth here is bounded by the number of directories, each visited once. */
static void check_dir(struct fsck *c, uint32_t inum, uint32_t parent)
{
    struct rvfs_dinode *d = dinode(&c->im, inum);
    if (c->visited[inum]) {
        problem(c, "directory %u is reached twice (a loop or a hard link to a directory)", inum);
        return;
    }
    c->visited[inum] = 1;
    c->parent[inum] = parent;
    if (d->size % sizeof(struct rvfs_dirent))
        problem(c, "directory %u: size %u is not a multiple of %zu", inum, d->size, sizeof(struct rvfs_dirent));
    int dot = 0, dotdot = 0;
    struct rvfs_dirent *free_slot = 0; /* fsck -y: where a missing "." or ".." goes */
    uint32_t n = d->size / sizeof(struct rvfs_dirent);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t b = fs_bmap(c, d, i / (RVFS_BSIZE / sizeof(struct rvfs_dirent)));
        if (!b) {
            problem(c, "directory %u: entry %u lies in a hole", inum, i);
            continue;
        }
        struct rvfs_dirent de, *dep = (struct rvfs_dirent *)(blk(&c->im, b) + i % (RVFS_BSIZE / sizeof de) * sizeof de);
        memcpy(&de, dep, sizeof de);
        if (de.inum == 0) {
            if (!free_slot)
                free_slot = dep;
            continue;
        }
        if (de.inum >= c->im.sb.ninodes || dinode(&c->im, de.inum)->type == 0) {
            problem(c, "directory %u: entry \"%.14s\" names inode %u, which is %s", inum, de.name, de.inum,
                    de.inum >= c->im.sb.ninodes ? "past the inode table" : "free");
            if (c->fix)
                dep->inum = 0, c->fixes++;
            continue;
        }
        if (de.name[0] == 0) {
            problem(c, "directory %u: entry %u has an empty name", inum, i);
            if (c->fix)
                dep->inum = 0, c->fixes++;
            continue;
        }
        if (dirent_is(&de, ".")) {
            if (de.inum != inum || dot++) {
                problem(c, "directory %u: \".\" names %u", inum, de.inum);
                if (c->fix)
                    dep->inum = dot > 1 ? 0 : (uint16_t)inum, c->fixes++;
            }
            continue;
        }
        if (dirent_is(&de, "..")) {
            if (de.inum != parent || dotdot++) {
                problem(c, "directory %u: \"..\" names %u, not its parent %u", inum, de.inum, parent);
                if (c->fix) {
                    dep->inum = dotdot > 1 ? 0 : (uint16_t)parent;
                    c->fixes++;
                    if (dotdot == 1 && inum != RVFS_ROOTINO)
                        c->subdirs[parent]++;
                }
            } else if (inum != RVFS_ROOTINO) {
                c->subdirs[parent]++;
            }
            continue;
        }
        if (c->fix && dinode(&c->im, de.inum)->type == T_DIR && (c->visited[de.inum] || de.inum == RVFS_ROOTINO)) {
            problem(c, "directory %u: entry \"%.14s\" reaches directory %u a second time: cleared", inum, de.name,
                    de.inum);
            dep->inum = 0;
            c->fixes++;
            continue;
        }
        c->links[de.inum]++;
        if (dinode(&c->im, de.inum)->type == T_DIR)
            check_dir(c, de.inum, inum);
    }
    if (!dot || !dotdot) {
        problem(c, "directory %u has no \"%s\" entry", inum, dot ? ".." : ".");
        if (c->fix && free_slot) { /* the next pass finds the other one missing, if it is */
            memset(free_slot, 0, sizeof *free_slot);
            free_slot->inum = (uint16_t)(dot ? parent : inum);
            memcpy(free_slot->name, dot ? ".." : ".", dot ? 2 : 1);
            c->fixes++;
        }
    }
}

static int orphan_listed(struct fsck *c, uint32_t inum)
{
    const uint32_t *t = (const uint32_t *)blk(&c->im, RVFS_ORPHANS);
    for (uint32_t i = 0; i < RVFS_ORPHAN_MAX; i++)
        if (t[i] == inum)
            return 1;
    return 0;
}

/* Every entry of the orphan table must name an inode that has a type,
 * nlink 0 and no name. */
static void check_orphans(struct fsck *c)
{
    const uint32_t *t = (const uint32_t *)blk(&c->im, RVFS_ORPHANS);
    for (uint32_t i = 0; i < RVFS_ORPHAN_MAX; i++) {
        uint32_t inum = t[i];
        if (!inum)
            continue;
        if (inum >= c->im.sb.ninodes || inum == RVFS_ROOTINO || dinode(&c->im, inum)->type == 0 ||
            dinode(&c->im, inum)->nlink != 0 || c->links[inum]) {
            problem(c, "the orphan table names inode %u, which is not an orphan", inum);
            if (c->fix) {
                ((uint32_t *)blk(&c->im, RVFS_ORPHANS))[i] = 0;
                c->fixes++;
            }
        }
    }
}

/* fsck -y: the directory unreachable inodes are given a name in,
 * /lost+found, made if need be; 0 if it cannot be. */
static uint32_t lost_found(struct fsck *c)
{
    struct img *im = &c->im;
    struct rvfs_dinode *root = dinode(im, RVFS_ROOTINO);
    for (uint32_t i = 0; i < root->size / sizeof(struct rvfs_dirent); i++) {
        uint32_t b = fs_bmap(c, root, i / (RVFS_BSIZE / sizeof(struct rvfs_dirent)));
        const struct rvfs_dirent *de =
            b ? (const struct rvfs_dirent *)blk(im, b) + i % (RVFS_BSIZE / sizeof(struct rvfs_dirent)) : 0;
        if (de && de->inum && dirent_is(de, "lost+found") && dinode(im, de->inum)->type == T_DIR)
            return de->inum;
    }
    im->next_inum = 1;
    while (im->next_inum < im->sb.ninodes && dinode(im, im->next_inum)->type != 0)
        im->next_inum++;
    im->next_blk = im->sb.datastart;
    uint32_t lf = mk_dir(im, RVFS_ROOTINO);
    if (!lf || mk_dirent(im, RVFS_ROOTINO, "lost+found", lf) < 0)
        return 0;
    return lf;
}

/* fsck -y: frees an inode (its blocks come back with the bitmap rebuilt
 * in the next pass) and takes it off the orphan table. */
static void free_inode(struct fsck *c, uint32_t inum)
{
    memset(dinode(&c->im, inum), 0, sizeof(struct rvfs_dinode));
    uint32_t *t = (uint32_t *)blk(&c->im, RVFS_ORPHANS);
    for (uint32_t i = 0; i < RVFS_ORPHAN_MAX; i++)
        if (t[i] == inum)
            t[i] = 0;
    c->fixes++;
}

static void check_counts(struct fsck *c)
{
    /* The bitmap first, so that lost+found can take blocks that are
     * really free. */
    for (uint32_t b = 0; b < c->im.sb.size; b++) {
        int used = b < c->im.sb.datastart || c->refs[b];
        if (used && !bit_get(&c->im, b))
            problem(c, "block %u is in use but free in the bitmap", b);
        else if (!used && bit_get(&c->im, b))
            problem(c, "block %u is marked used in the bitmap but nothing uses it", b);
        else
            continue;
        if (c->fix) {
            uint8_t *byte = &blk(&c->im, c->im.sb.bmapstart + b / RVFS_BPB)[b % RVFS_BPB / 8];
            *byte = (uint8_t)(used ? *byte | (1 << (b % 8)) : *byte & ~(1 << (b % 8)));
            c->fixes++;
        }
    }
    for (uint32_t inum = 1; inum < c->im.sb.ninodes; inum++) {
        struct rvfs_dinode *d = dinode(&c->im, inum);
        if (d->type == 0)
            continue;
        uint32_t want = c->links[inum];
        if (d->type == T_DIR)
            want = inum == RVFS_ROOTINO ? 2u + c->subdirs[inum] : (want ? want + 1u + c->subdirs[inum] : 0u);
        if (d->type == T_DIR && !c->visited[inum])
            want = 0;
        if (want == 0 && d->nlink == 0 && inum != RVFS_ROOTINO && orphan_listed(c, inum)) {
            /* Unlinked while open, then the power went: consistent, and
             * the kernel frees it at the next mount (fsck -y does now). */
            fprintf(c->out, "rvfs fsck: %s: note: inode %u has no name (unlinked while open); mount frees it\n",
                    c->name, inum);
            if (c->fix)
                free_inode(c, inum);
        } else if (want == 0 && d->nlink == 0 && inum != RVFS_ROOTINO) {
            problem(c, "inode %u has no name and is not on the orphan table (mount leaves it)", inum);
            if (c->fix)
                free_inode(c, inum);
        } else if (want == 0 && inum != RVFS_ROOTINO) {
            problem(c, "inode %u (type %d, nlink %d) is allocated but no directory names it", inum, d->type, d->nlink);
            uint32_t lf = c->fix ? lost_found(c) : 0;
            char name[16];
            snprintf(name, sizeof name, "#%u", inum);
            if (lf && mk_dirent(&c->im, lf, name, inum) == 0) {
                fprintf(c->out, "rvfs fsck: %s: inode %u put in /lost+found as %s\n", c->name, inum, name);
                c->fixes++; /* its count and a directory's ".." are set right by the next pass */
            }
        } else if ((uint32_t)d->nlink != want) {
            problem(c, "inode %u: nlink is %d, but %u names count", inum, d->nlink, want);
            if (c->fix) {
                d->nlink = (int16_t)want;
                c->fixes++;
            }
        }
    }
}

/* Reads the whole image at path into im->b (im->nblk whole blocks; a
 * partial block at the end is left out). 0, or -1 with a message on out
 * naming the command. */
static int img_read(struct img *im, const char *path, const char *cmd, FILE *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(out, "rvfs %s: %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    im->nblk = len > 0 ? (uint32_t)(len / RVFS_BSIZE) : 0;
    im->b = calloc(im->nblk ? im->nblk : 1, RVFS_BSIZE);
    int ok = im->b && fread(im->b, RVFS_BSIZE, im->nblk, f) == im->nblk;
    fclose(f);
    if (!ok) {
        free(im->b);
        im->b = 0;
        fprintf(out, "rvfs %s: %s: cannot read it\n", cmd, path);
        return -1;
    }
    return 0;
}

/* One pass of the checks over c->im (repairing them with c->fix). */
static void fsck_pass(struct fsck *c)
{
    if (check_super(c) != 0 || replay_log(c) != 0)
        return;
    uint32_t ni = c->im.sb.ninodes;
    c->refs = calloc(c->im.sb.size, 1);
    c->links = calloc(ni, sizeof *c->links);
    c->subdirs = calloc(ni, sizeof *c->subdirs);
    c->visited = calloc(ni, 1);
    c->parent = calloc(ni, sizeof *c->parent);
    if (dinode(&c->im, 0)->type != 0) {
        problem(c, "inode 0 is in use: it must stay free");
        if (c->fix)
            free_inode(c, 0);
    }
    for (uint32_t inum = 1; inum < ni; inum++)
        check_inode(c, inum);
    if (dinode(&c->im, RVFS_ROOTINO)->type != T_DIR)
        problem(c, "the root (inode %d) is not a directory", RVFS_ROOTINO);
    else
        check_dir(c, RVFS_ROOTINO, RVFS_ROOTINO);
    check_counts(c);
    check_orphans(c);
    free(c->refs);
    free(c->links);
    free(c->subdirs);
    free(c->visited);
    free(c->parent);
}

int rvfs_fsck_fix(const char *path, int fix, FILE *out)
{
    struct fsck c;
    memset(&c, 0, sizeof c);
    c.out = out;
    c.name = path;
    if (img_read(&c.im, path, "fsck", out) < 0)
        return -1;
    if (fix) {
        /* Repair, then check again, until a pass finds nothing to repair
         * (each pass can reveal what the one before made right: the
         * blocks of a freed inode, the count of a directory given a name
         * in lost+found). A committed log is applied, and cleared, first:
         * the repairs are made to what mount would see. */
        c.fix = 1;
        FILE *quiet = fopen("/dev/null", "w");
        int total = 0;
        for (int pass = 0; pass < 5; pass++) {
            c.fixes = 0;
            c.problems = 0;
            c.out = pass == 0 ? out : quiet ? quiet : out;
            fsck_pass(&c);
            if (pass == 0 && c.problems && replay_log_clear(&c))
                c.fixes++;
            total += c.fixes;
            if (!c.fixes)
                break;
        }
        if (quiet)
            fclose(quiet);
        c.out = out;
        c.fix = 0;
        c.problems = 0;
        if (total && write_image(path, &c.im) < 0) {
            fprintf(out, "rvfs fsck: %s: cannot write the repairs: %s\n", path, strerror(errno));
            free(c.im.b);
            return -1;
        }
        fprintf(out, "rvfs fsck: %s: %d repairs made; checking again\n", path, total);
    }
    fsck_pass(&c);
    free(c.im.b);
    if (c.problems > 100)
        fprintf(out, "rvfs fsck: %s: ... and %d more problems\n", path, c.problems - 100);
    if (c.problems == 0)
        fprintf(out, "rvfs fsck: %s: clean\n", path);
    return c.problems;
}

int rvfs_fsck(const char *path, FILE *out) { return rvfs_fsck_fix(path, 0, out); }

/* -------------------------------------------------------------- corrupt */

/* For tests of the kernel (tests/guest/tests.cmake, "fs-corrupt:KIND:SIZE"
 * in cmake/run-guest-disk.sh). KIND:
 *   magic      the superblock's magic is wrong
 *   size       the superblock says the disk is twice as large as it is
 *   layout     the superblock's data area does not start where its
 *              layout puts it
 *   log-super  the log superblock's checksum does not match
 *   log-count  a record (in sequence) claims more blocks than the log has
 *   log-home   a record, checksum and all, names a home outside the disk
 *   log-header a record of junk for the root's inode block whose
 *              descriptor does not match its checksum
 *   log-block  the same record, whose logged block was damaged after
 *              the checksum was taken
 *   log-replay /r, 1 KiB of 'A's, and a complete record that turns its
 *              block into 'B's: replaying it is right
 *   root-nlink the root's link count is 0; /keep holds 1 KiB of 'K's
 *   named-nlink /f, 2 KiB of 'F's, has a name but nlink 0
 *   orphan     an inode of 3 KiB, nlink 0, named by nothing but the
 *              orphan table (unlinked while open, then a crash)
 *   max-file   (not damage) /max, 10 KiB short of the largest file: its
 *              first block 'M's, the rest holes
 *   file       /bad, 3 KiB: block 0 is good ('A's), block 1 points at the
 *              first inode block, block 2 past the end of the disk
 *   dir        /loop, a directory with entries "up" (the root) and "self"
 *              (itself); /ghost names inode ninodes + 5 */
int rvfs_corrupt(const char *path, const char *kind, FILE *err)
{
    struct img im;
    memset(&im, 0, sizeof im);
    if (img_read(&im, path, "corrupt", err) < 0)
        return -1;
    int ok = im.nblk > RVFS_SUPERBLOCK;
    if (ok) {
        memcpy(&im.sb, blk(&im, RVFS_SUPERBLOCK), sizeof im.sb);
        ok = im.sb.magic == RVFS_MAGIC && im.sb.size == im.nblk;
    }
    if (!ok) {
        fprintf(err, "rvfs corrupt: %s: not a file system made by rvfs mkfs\n", path);
        free(im.b);
        return -1;
    }
    /* Allocate after what mkfs used: the first free inode and block. */
    im.next_inum = RVFS_ROOTINO;
    while (im.next_inum < im.sb.ninodes && dinode(&im, im.next_inum)->type != 0)
        im.next_inum++;
    im.next_blk = im.sb.datastart;
    while (im.next_blk < im.sb.size && bit_get(&im, im.next_blk))
        im.next_blk++;
    struct rvfs_super *sb = (struct rvfs_super *)blk(&im, RVFS_SUPERBLOCK);
    uint8_t junk[RVFS_BSIZE];
    memset(junk, 0xa5, sizeof junk);
    uint32_t root_blk = im.sb.inodestart + RVFS_ROOTINO / RVFS_IPB;
    struct rvfs_logrec *rec = (struct rvfs_logrec *)blk(&im, im.sb.logstart + 1);
    int rc = 0;
    if (!strcmp(kind, "magic")) {
        sb->magic ^= 0x20;
    } else if (!strcmp(kind, "size")) {
        sb->size *= 2;
    } else if (!strcmp(kind, "layout")) {
        sb->datastart += 1;
    } else if (!strcmp(kind, "log-super")) {
        ((struct rvfs_logsuper *)blk(&im, im.sb.logstart))->csum ^= 1;
    } else if (!strcmp(kind, "log-count")) {
        rvfs_log_put(im.b, &im.sb, 0, 1, 1, &root_blk, junk);
        rec->n = RVFS_LOG_MAX + 1;
    } else if (!strcmp(kind, "log-home")) {
        uint32_t home = im.sb.size + 100;
        rvfs_log_put(im.b, &im.sb, 0, 1, 1, &home, junk);
    } else if (!strcmp(kind, "log-header")) {
        rvfs_log_put(im.b, &im.sb, 0, 1, 1, &root_blk, junk);
        rec->csum ^= 1;
    } else if (!strcmp(kind, "log-block")) {
        rvfs_log_put(im.b, &im.sb, 0, 1, 1, &root_blk, junk);
        blk(&im, im.sb.logstart + 2)[100] ^= 1;
    } else if (!strcmp(kind, "log-replay") || !strcmp(kind, "root-nlink") || !strcmp(kind, "named-nlink") ||
               !strcmp(kind, "orphan")) {
        char c = !strcmp(kind, "log-replay") ? 'A' : !strcmp(kind, "root-nlink") ? 'K' : 'F';
        const char *name = !strcmp(kind, "log-replay") ? "r" : !strcmp(kind, "root-nlink") ? "keep" : "f";
        uint64_t len = !strcmp(kind, "named-nlink") ? 2 * RVFS_BSIZE
                       : !strcmp(kind, "orphan")    ? 3 * RVFS_BSIZE
                                                    : RVFS_BSIZE;
        uint8_t data[3 * RVFS_BSIZE];
        memset(data, c, sizeof data);
        uint32_t inum = mk_ialloc(&im, T_FILE);
        rc = inum && mk_append(&im, inum, data, len) == 0 ? 0 : -1;
        if (rc == 0 && strcmp(kind, "orphan") != 0)
            rc = mk_dirent(&im, RVFS_ROOTINO, name, inum);
        if (rc == 0) {
            struct rvfs_dinode *d = dinode(&im, inum);
            d->nlink = !strcmp(kind, "log-replay") || !strcmp(kind, "root-nlink") ? 1 : 0;
            if (!strcmp(kind, "root-nlink"))
                dinode(&im, RVFS_ROOTINO)->nlink = 0;
            if (!strcmp(kind, "orphan"))
                ((uint32_t *)blk(&im, RVFS_ORPHANS))[3] = inum;
            if (!strcmp(kind, "log-replay")) {
                memset(data, 'B', RVFS_BSIZE);
                rvfs_log_put(im.b, &im.sb, 0, 1, 1, &d->addrs[0], data);
            }
        }
    } else if (!strcmp(kind, "max-file")) {
        uint8_t m[RVFS_BSIZE];
        memset(m, 'M', sizeof m);
        uint32_t inum = mk_ialloc(&im, T_FILE);
        rc = inum && mk_append(&im, inum, m, sizeof m) == 0 && mk_dirent(&im, RVFS_ROOTINO, "max", inum) == 0 ? 0 : -1;
        if (rc == 0) {
            dinode(&im, inum)->nlink = 1;
            dinode(&im, inum)->size = (uint32_t)(RVFS_MAXFILE - 10 * RVFS_BSIZE); /* the rest: holes */
        }
    } else if (!strcmp(kind, "file")) {
        uint32_t inum = mk_ialloc(&im, T_FILE);
        uint8_t a[RVFS_BSIZE];
        memset(a, 'A', sizeof a);
        rc = inum && mk_append(&im, inum, a, sizeof a) == 0 && mk_dirent(&im, RVFS_ROOTINO, "bad", inum) == 0 ? 0 : -1;
        if (rc == 0) {
            struct rvfs_dinode *d = dinode(&im, inum);
            d->nlink = 1;
            d->size = 3 * RVFS_BSIZE;
            d->addrs[1] = im.sb.inodestart;
            d->addrs[2] = im.sb.size + 5;
        }
    } else if (!strcmp(kind, "dir")) {
        uint32_t loop = mk_dir(&im, RVFS_ROOTINO);
        rc = loop && mk_dirent(&im, RVFS_ROOTINO, "loop", loop) == 0 && mk_dirent(&im, loop, "up", RVFS_ROOTINO) == 0 &&
                     mk_dirent(&im, loop, "self", loop) == 0 &&
                     mk_dirent(&im, RVFS_ROOTINO, "ghost", im.sb.ninodes + 5) == 0
                 ? 0
                 : -1;
    } else {
        fprintf(err,
                "rvfs corrupt: %s: unknown kind (magic, size, layout, log-super, log-count, log-home, "
                "log-header, log-block, log-replay, root-nlink, named-nlink, orphan, max-file, file, dir)\n",
                kind);
        rc = -1;
    }
    if (rc == 0 && write_image(path, &im) < 0) {
        fprintf(err, "rvfs corrupt: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    free(im.b);
    return rc;
}

/* ------------------------------------------------------------- fragment */

/* For tests of the kernel ("fs-frag:SIZE" in cmake/run-guest-disk.sh):
 * leaves free only RVFS_FRAG_FREE blocks spread over each bitmap block's
 * range, every other free block going to files /fill0, /fill1, ... (as
 * many as it takes): an fsck-clean disk whose free space is as scattered
 * as a long life of creates and deletes could leave it, so that every few
 * block allocations land under another bitmap block. */
int rvfs_fragment(const char *path, FILE *err)
{
    struct img im;
    memset(&im, 0, sizeof im);
    if (img_read(&im, path, "fragment", err) < 0)
        return -1;
    memcpy(&im.sb, blk(&im, RVFS_SUPERBLOCK), sizeof im.sb);
    if (im.nblk <= RVFS_SUPERBLOCK || im.sb.magic != RVFS_MAGIC || im.sb.size != im.nblk) {
        fprintf(err, "rvfs fragment: %s: not a file system made by rvfs mkfs\n", path);
        free(im.b);
        return -1;
    }
    im.next_inum = RVFS_ROOTINO;
    while (im.next_inum < im.sb.ninodes && dinode(&im, im.next_inum)->type != 0)
        im.next_inum++;
    /* Mark the blocks to keep free as used, so the files skip them. */
    uint32_t nbmap = (im.sb.size + RVFS_BPB - 1) / RVFS_BPB, kept = 0;
    static uint32_t keep[RVFS_MAX_BMAP * RVFS_FRAG_FREE];
    for (uint32_t bi = 0; bi < nbmap; bi++)
        for (uint32_t k = 0; k < RVFS_FRAG_FREE; k++) {
            uint32_t b = bi * RVFS_BPB + k * (RVFS_BPB / RVFS_FRAG_FREE) + 7;
            if (b >= im.sb.datastart && b < im.sb.size && !bit_get(&im, b)) {
                bit_set(&im, b);
                keep[kept++] = b;
            }
        }
    im.next_blk = im.sb.datastart;
    static const uint8_t zeros[RVFS_BSIZE];
    int rc = 0;
    for (int f = 0; rc == 0; f++) {
        while (im.next_blk < im.sb.size && bit_get(&im, im.next_blk))
            im.next_blk++;
        if (im.next_blk >= im.sb.size)
            break;
        char name[16];
        snprintf(name, sizeof name, "fill%d", f);
        uint32_t inum = mk_ialloc(&im, T_FILE);
        rc = inum && mk_dirent(&im, RVFS_ROOTINO, name, inum) == 0 ? 0 : -1;
        if (rc == 0)
            dinode(&im, inum)->nlink = 1;
        while (rc == 0 && mk_append(&im, inum, zeros, sizeof zeros) == 0)
            ;
    }
    for (uint32_t i = 0; i < kept; i++)
        blk(&im, im.sb.bmapstart + keep[i] / RVFS_BPB)[keep[i] % RVFS_BPB / 8] &= (uint8_t) ~(1 << (keep[i] % 8));
    if (rc == 0 && write_image(path, &im) < 0) {
        fprintf(err, "rvfs fragment: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    free(im.b);
    return rc;
}

#ifndef RVFS_NO_MAIN
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return -1;
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M' || *end == 'm')
        v <<= 20, end++;
    else if (*end == 'G' || *end == 'g')
        v <<= 30, end++;
    *out = v;
    return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
    uint64_t size;
    if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "mkfs") && parse_size(argv[3], &size) == 0)
        return rvfs_mkfs(argv[2], size, argc == 5 ? argv[4] : 0, stderr) == 0 ? 0 : 1;
    if (argc == 3 && !strcmp(argv[1], "fsck")) {
        int r = rvfs_fsck(argv[2], stdout);
        return r < 0 ? 2 : r > 0 ? 1 : 0;
    }
    if (argc == 4 && !strcmp(argv[1], "fsck") && !strcmp(argv[2], "-y")) {
        int r = rvfs_fsck_fix(argv[3], 1, stdout);
        return r < 0 ? 2 : r > 0 ? 1 : 0;
    }
    if (argc == 4 && !strcmp(argv[1], "corrupt"))
        return rvfs_corrupt(argv[2], argv[3], stderr) == 0 ? 0 : 1;
    if (argc == 3 && !strcmp(argv[1], "fragment"))
        return rvfs_fragment(argv[2], stderr) == 0 ? 0 : 1;
    fprintf(stderr, "usage: rvfs mkfs IMAGE SIZE [DIR]\n       rvfs fsck [-y] IMAGE\n       rvfs corrupt IMAGE KIND\n"
                    "       rvfs fragment IMAGE\n");
    return 2;
}
#endif
