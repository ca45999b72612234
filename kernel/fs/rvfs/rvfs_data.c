/* The disk file system's blocks: the free-block bitmap, a file's block
 * map (11 direct, one indirect, one double-indirect: rvfs_format.h),
 * reading, writing, truncating, and directories of struct dirent.
 *
 * The caller holds the inode's lock, and for anything that changes the
 * disk is inside a transaction. Each function here holds at most one
 * buffer at a time, so that no process ever waits for a buffer while
 * holding another one: with the cache's 64 buffers, that is what keeps
 * many processes from deadlocking on them. A block pointer outside the
 * data area (a corrupt disk) reads as a hole and is never followed or
 * freed; the console says so. */
#include "rvfs.h"
#include "../bio.h"
#include "../../panic.h"
#include "../../printk.h"
#include "../../proc.h"
#include "../../string.h"
#include "../vfs.h"
#include "../../../mm/vm.h"

struct rvfs_super rvfs_sb;
static uint32_t alloc_hint; /* where the last allocation was: a hint only */

static int data_block(uint32_t b) { return b >= rvfs_sb.datastart && b < rvfs_sb.size; }

static uint32_t checked(struct inode *ip, uint32_t b)
{
    if (b && !data_block(b)) {
        printk_limited("rvfs: inode %u points at block %u, outside the data area: read as a hole\n", ip->inum, b);
        return 0;
    }
    return b;
}

uint32_t rvfs_balloc(void)
{
    uint32_t nbmap = (rvfs_sb.size + RVFS_BPB - 1) / RVFS_BPB;
    uint32_t first = __atomic_load_n(&alloc_hint, __ATOMIC_RELAXED) / RVFS_BPB;
    for (uint32_t k = 0; k < nbmap; k++) {
        uint32_t bi = (first + k) % nbmap;
        struct buf *b = bread(rvfs_sb.bmapstart + bi);
        if (!b)
            return 0;
        for (uint32_t byte = 0; byte < RVFS_BSIZE; byte++) {
            if (b->data[byte] == 0xff)
                continue;
            for (uint32_t bit = 0; bit < 8; bit++) {
                uint32_t n = bi * RVFS_BPB + byte * 8 + bit;
                if (n >= rvfs_sb.size)
                    break;
                if (n < rvfs_sb.datastart || (b->data[byte] >> bit & 1))
                    continue;
                b->data[byte] |= (uint8_t)(1 << bit);
                rvfs_log_write(b);
                brelse(b);
                __atomic_store_n(&alloc_hint, n, __ATOMIC_RELAXED);
                return n;
            }
        }
        brelse(b);
    }
    return 0;
}

void rvfs_bfree(uint32_t n)
{
    if (!data_block(n))
        return;
    struct buf *b = bread(rvfs_sb.bmapstart + n / RVFS_BPB);
    if (!b)
        return;
    uint8_t *byte = &b->data[n % RVFS_BPB / 8];
    if (!(*byte >> (n % 8) & 1))
        printk_limited("rvfs: block %u freed but already free (a corrupt disk?)\n", n);
    *byte &= (uint8_t) ~(1 << (n % 8));
    rvfs_log_write(b);
    brelse(b);
}

uint32_t rvfs_count_free(void)
{
    uint32_t free = 0;
    for (uint32_t n = rvfs_sb.datastart; n < rvfs_sb.size;) {
        struct buf *b = bread(rvfs_sb.bmapstart + n / RVFS_BPB);
        if (!b)
            break;
        uint32_t end = (n / RVFS_BPB + 1) * RVFS_BPB;
        for (; n < end && n < rvfs_sb.size; n++)
            free += !(b->data[n % RVFS_BPB / 8] >> (n % 8) & 1);
        brelse(b);
    }
    return free;
}

/* A freshly allocated block, zeroed in the log (for a new table). */
static uint32_t alloc_zeroed(void)
{
    uint32_t n = rvfs_balloc();
    if (!n)
        return 0;
    struct buf *b = bclaim(n);
    if (!b) {
        rvfs_bfree(n);
        return 0;
    }
    memset(b->data, 0, RVFS_BSIZE);
    rvfs_log_write(b);
    brelse(b);
    return n;
}

/* Entry i of the pointer table t; with alloc, a missing entry gets a new
 * block (zeroed if it is a table: zero_new), and *fresh says so. */
static uint32_t table_entry(struct inode *ip, uint32_t t, uint32_t i, int alloc, int zero_new, int *fresh)
{
    struct buf *b = bread(t);
    if (!b)
        return 0;
    uint32_t v = ((uint32_t *)b->data)[i];
    brelse(b);
    if (v)
        return checked(ip, v);
    if (!alloc)
        return 0;
    v = zero_new ? alloc_zeroed() : rvfs_balloc();
    if (!v)
        return 0;
    if (!(b = bread(t))) {
        rvfs_bfree(v);
        return 0;
    }
    ((uint32_t *)b->data)[i] = v;
    rvfs_log_write(b);
    brelse(b);
    if (fresh)
        *fresh = 1;
    return v;
}

/* The disk block holding file block fb, or 0 (a hole, or no room). A
 * pointer in the inode that changes is written back by the caller
 * (rvfs_update). *fresh is set when the data block itself is new. */
static uint32_t bmap(struct inode *ip, uint64_t fb, int alloc, int *fresh)
{
    uint32_t *slot;
    if (fb < RVFS_NDIRECT) {
        slot = &ip->addrs[fb];
    } else if (fb < RVFS_NDIRECT + RVFS_NINDIRECT) {
        slot = &ip->addrs[RVFS_NDIRECT];
        if (!*slot && (!alloc || !(*slot = alloc_zeroed())))
            return 0;
        uint32_t t = checked(ip, *slot);
        return t ? table_entry(ip, t, (uint32_t)(fb - RVFS_NDIRECT), alloc, 0, fresh) : 0;
    } else if (fb < RVFS_MAXBLOCKS) {
        fb -= RVFS_NDIRECT + RVFS_NINDIRECT;
        slot = &ip->addrs[RVFS_NDIRECT + 1];
        if (!*slot && (!alloc || !(*slot = alloc_zeroed())))
            return 0;
        uint32_t top = checked(ip, *slot);
        uint32_t t = top ? table_entry(ip, top, (uint32_t)(fb / RVFS_NINDIRECT), alloc, 1, 0) : 0;
        return t ? table_entry(ip, t, (uint32_t)(fb % RVFS_NINDIRECT), alloc, 0, fresh) : 0;
    } else {
        return 0;
    }
    if (!*slot && alloc && (*slot = rvfs_balloc()) != 0 && fresh)
        *fresh = 1;
    return checked(ip, *slot);
}

/* Frees every block at or past file block keep under table t (depth 1:
 * its entries are data blocks; 2: they are depth-1 tables), whose entries
 * cover file blocks from base on. Frees t too, and returns 1, when
 * nothing is left under it. */
static int trim_table(struct inode *ip, uint32_t t, int depth, uint64_t base, uint64_t keep)
{
    uint64_t span = depth == 2 ? RVFS_NINDIRECT : 1;
    int left = 0;
    for (uint32_t j = 0; j < RVFS_NINDIRECT; j++) {
        struct buf *b = bread(t);
        if (!b)
            return 0;
        uint32_t v = ((uint32_t *)b->data)[j];
        brelse(b);
        if (!v)
            continue;
        uint64_t lo = base + j * span;
        if (!checked(ip, v) || lo + span <= keep) {
            left = 1;
            continue;
        }
        int gone = depth == 2 ? trim_table(ip, v, 1, lo, keep) : (rvfs_bfree(v), 1);
        if (!gone) {
            left = 1;
        } else if (base < keep && (b = bread(t)) != 0) {
            /* t stays (so far): clear the entry. */
            ((uint32_t *)b->data)[j] = 0;
            rvfs_log_write(b);
            brelse(b);
        }
    }
    if (left)
        return 0;
    rvfs_bfree(t);
    return 1;
}

void rvfs_truncate(struct inode *ip, uint64_t size)
{
    if (size > ip->size || rvfs_readonly())
        return;
    /* Trim even at the same size: a write that failed half way may have
     * left a table or a block past the end. */
    uint64_t keep = (size + RVFS_BSIZE - 1) / RVFS_BSIZE;
    for (uint32_t i = 0; i < RVFS_NDIRECT; i++)
        if (i >= keep && ip->addrs[i]) {
            rvfs_bfree(checked(ip, ip->addrs[i]));
            ip->addrs[i] = 0;
        }
    uint32_t *ind = &ip->addrs[RVFS_NDIRECT], *dind = &ip->addrs[RVFS_NDIRECT + 1];
    if (*ind && checked(ip, *ind) && trim_table(ip, *ind, 1, RVFS_NDIRECT, keep))
        *ind = 0;
    if (*dind && checked(ip, *dind) && trim_table(ip, *dind, 2, RVFS_NDIRECT + RVFS_NINDIRECT, keep))
        *dind = 0;
    ip->size = size;
    rvfs_update(ip);
}

static const uint8_t zeros[RVFS_BSIZE];

int64_t rvfs_read(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n)
{
    if (off >= ip->size)
        return 0;
    if (n > ip->size - off)
        n = ip->size - off;
    uint64_t done = 0;
    while (done < n) {
        uint64_t pos = off + done, in = pos % RVFS_BSIZE;
        uint64_t chunk = RVFS_BSIZE - in < n - done ? RVFS_BSIZE - in : n - done;
        uint32_t bn = bmap(ip, pos / RVFS_BSIZE, 0, 0);
        struct buf *b = bn ? bread(bn) : 0;
        int bad = vfs_copy_to(user, addr + done, (b ? b->data : zeros) + in, chunk) < 0;
        if (b)
            brelse(b);
        if (bad || (bn && !b))
            return done ? (int64_t)done : -1;
        done += chunk;
    }
    return (int64_t)done;
}

int64_t rvfs_write(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n)
{
    if (rvfs_readonly())
        return -1;
    if (off > ip->size)
        return -1; /* the classic rule: no gaps (see ramfs_write) */
    if (n == 0)
        return 0;
    if (off >= RVFS_MAXFILE)
        return -1;
    if (n > RVFS_MAXFILE - off)
        n = RVFS_MAXFILE - off;
    uint64_t done = 0;
    int full = 0; /* this call's share of the log is used up */
    while (done < n) {
        /* A slice ends early rather than outgrow this call's share of
         * the log (on a fragmented disk each new block may bring a bitmap
         * block of its own); file_write goes on in a new transaction. */
        if (done && rvfs_log_room() < RVFS_WRITE_BLOCK_WORST) {
            full = 1;
            break;
        }
        uint64_t pos = off + done, in = pos % RVFS_BSIZE;
        uint64_t chunk = RVFS_BSIZE - in < n - done ? RVFS_BSIZE - in : n - done;
        int fresh = 0;
        uint32_t bn = bmap(ip, pos / RVFS_BSIZE, 1, &fresh);
        struct buf *b = !bn ? 0 : fresh ? bclaim(bn) : bread(bn);
        if (!b)
            break; /* the disk is full (or failed): what is written stays */
        if (fresh)
            memset(b->data, 0, RVFS_BSIZE);
        int bad = vfs_copy_from(user, b->data + in, addr + done, chunk) < 0;
        if (bad && pos + chunk > ip->size) {
            /* Part may have landed past the end: it must read as zeros
             * when the file grows over it. */
            uint64_t from = pos > ip->size ? pos : ip->size;
            memset(b->data + (from - pos), 0, pos + chunk - from);
        }
        rvfs_log_write(b);
        brelse(b);
        if (bad)
            break;
        done += chunk;
        if (pos + chunk > ip->size)
            ip->size = pos + chunk;
    }
    if (done < n && !full)
        rvfs_truncate(ip, ip->size); /* drop blocks taken past the end; writes the inode */
    else
        rvfs_update(ip);
    return done ? (int64_t)done : -1;
}

/* ---- directories: arrays of struct dirent in the data blocks. */

_Static_assert(sizeof(struct dirent) == sizeof(struct rvfs_dirent), "the classic entry on disk too");
#define PER_BLOCK (RVFS_BSIZE / sizeof(struct dirent))

static int name_is(const struct dirent *de, const char *name) { return strncmp(de->name, name, DIRSIZ) == 0; }

/* Calls visit on each entry of dp (its buffer held, changeable) until it
 * returns nonzero: then logs the block if visit returned 2, and returns
 * the entry's offset + 1. 0 when no entry made it stop. */
static uint64_t dir_scan(struct inode *dp, int (*visit)(struct dirent *de, const void *arg), const void *arg)
{
    for (uint64_t off = 0; off < dp->size; off += RVFS_BSIZE) {
        uint32_t bn = bmap(dp, off / RVFS_BSIZE, 0, 0);
        struct buf *b = bn ? bread(bn) : 0;
        if (!b)
            continue;
        struct dirent *de = (struct dirent *)b->data;
        for (uint64_t i = 0; i < PER_BLOCK && off + i * sizeof *de < dp->size; i++) {
            int r = visit(&de[i], arg);
            if (r) {
                if (r == 2)
                    rvfs_log_write(b);
                brelse(b);
                return off + i * sizeof *de + 1;
            }
        }
        brelse(b);
    }
    return 0;
}

static int match(struct dirent *de, const void *name) { return de->inum && name_is(de, name); }

uint32_t rvfs_dir_lookup(struct inode *dp, const char *name, uint64_t *off)
{
    /* dir_scan gives the entry's offset; read the entry there. */
    uint64_t at = dir_scan(dp, match, name);
    if (!at)
        return 0;
    struct dirent de;
    if (rvfs_read(dp, 0, (uint64_t)&de, at - 1, sizeof de) != sizeof de || !de.inum)
        return 0;
    /* A corrupt disk: an entry naming no inode there can be, or a name
     * other than "." and ".." leading back to this directory or to the
     * root (a loop, which a walk of the tree would follow for ever). Such
     * an entry is reported and is not found. */
    int dots = strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
    if (de.inum >= rvfs_sb.ninodes) {
        printk_limited("rvfs: directory %u: entry %s names inode %u, out of range (%u inodes); ignored\n", dp->inum,
                       name, de.inum, rvfs_sb.ninodes);
        return 0;
    }
    if (!dots && (de.inum == dp->inum || de.inum == RVFS_ROOTINO)) {
        printk_limited("rvfs: directory %u: entry %s names inode %u, making a directory loop; ignored\n", dp->inum,
                       name, de.inum);
        return 0;
    }
    if (off)
        *off = at - 1;
    return de.inum;
}

static int take_empty(struct dirent *de, const void *newde)
{
    if (de->inum)
        return 0;
    *de = *(const struct dirent *)newde;
    return 2;
}

int rvfs_dir_add(struct inode *dp, const char *name, uint32_t inum)
{
    if (rvfs_readonly())
        return -1;
    struct dirent de;
    memset(&de, 0, sizeof de);
    de.inum = (unsigned short)inum;
    for (int i = 0; i < DIRSIZ && name[i]; i++)
        de.name[i] = name[i];
    if (dir_scan(dp, take_empty, &de))
        return 0;
    return rvfs_write(dp, 0, (uint64_t)&de, dp->size, sizeof de) == sizeof de ? 0 : -1;
}

void rvfs_dir_remove(struct inode *dp, uint64_t off)
{
    if (rvfs_readonly())
        return;
    uint32_t bn = bmap(dp, off / RVFS_BSIZE, 0, 0);
    struct buf *b = bn ? bread(bn) : 0;
    if (!b)
        return;
    memset(b->data + off % RVFS_BSIZE, 0, sizeof(struct dirent));
    rvfs_log_write(b);
    brelse(b);
}

static int not_dots(struct dirent *de, const void *arg)
{
    (void)arg;
    return de->inum && !name_is(de, ".") && !name_is(de, "..");
}

int rvfs_dir_is_empty(struct inode *dp) { return dir_scan(dp, not_dots, 0) == 0; }
