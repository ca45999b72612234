/* The on-disk format of rvfs, the disk file system (docs/architecture.md,
 * 8.6, has the picture). Shared by the kernel (kernel/fs/rvfs/) and the
 * host tool (tools/rvfs.c), so it uses nothing but fixed-width integers:
 * every field is little-endian, as both RISC-V and the build hosts are.
 *
 * The disk is an array of RVFS_BSIZE (1 KiB) blocks, the buffer cache's:
 *
 *   0           the orphan table (inodes unlinked while open)
 *   1           the superblock
 *   logstart    the log superblock, then nlog log blocks (records)
 *   inodestart  the inode blocks, RVFS_IPB inodes each
 *   bmapstart   the free-block bitmap, one bit per block of the disk
 *   datastart   data blocks, up to size - 1
 *
 * Every block before datastart is marked used in the bitmap. */
#ifndef RVOS_KERNEL_FS_RVFS_FORMAT_H
#define RVOS_KERNEL_FS_RVFS_FORMAT_H
#include <stdint.h>

#define RVFS_BSIZE 1024
#define RVFS_MAGIC 0x53465652u /* "RVFS" read as little-endian bytes */
#define RVFS_VERSION 1
#define RVFS_SUPERBLOCK 1
#define RVFS_ROOTINO 1 /* inode 0 is never used: a dirent with inum 0 is a free slot */

struct rvfs_super {
    uint32_t magic;      /* RVFS_MAGIC */
    uint32_t version;    /* RVFS_VERSION */
    uint32_t size;       /* blocks in the file system, all areas */
    uint32_t ninodes;    /* inodes (numbers 0 .. ninodes - 1; 0 unused) */
    uint32_t nlog;       /* log blocks after the header */
    uint32_t logstart;   /* block of the log header */
    uint32_t inodestart; /* first inode block */
    uint32_t bmapstart;  /* first bitmap block */
    uint32_t datastart;  /* first data block */
};

/* The log (docs/architecture.md 8.7). Block logstart is the log's
 * superblock; blocks logstart + 1 .. logstart + nlog hold records, laid
 * end to end from the first. A record is one committed transaction: a
 * descriptor block, then its n logged blocks (block i belongs at home[i]).
 * The descriptor's checksum covers the descriptor itself (csum read as 0)
 * and the n blocks, so a record that reached the disk only in part, or was
 * damaged, never matches. Records carry consecutive sequence numbers: the
 * first record must carry the log superblock's seq, the next seq + 1, and
 * so on. Recovery replays records in that order up to the first one that
 * is missing, out of sequence or does not match its checksum.
 *
 * A log superblock of an image made before checksums (magic RVFS_MAGIC,
 * a count of 0: a clean log) is read as an empty log. */
#define RVFS_LOG_MAX 200
#define RVFS_LOG_MAGIC 0x474f4c52u /* "RLOG" */
#define RVFS_REC_MAGIC 0x43455252u /* "RREC" */
struct rvfs_logsuper {
    uint32_t magic; /* RVFS_LOG_MAGIC */
    uint32_t seq;   /* the sequence number the record at the start of the log must carry */
    uint32_t csum;  /* rvfs_crc over magic and seq */
};
struct rvfs_logrec {
    uint32_t magic; /* RVFS_REC_MAGIC */
    uint32_t seq;
    uint32_t n;    /* logged blocks after this descriptor: 1 .. nlog - 1 */
    uint32_t csum; /* rvfs_crc over this block (csum as 0), then the n blocks */
    uint32_t home[RVFS_LOG_MAX - 1];
};
_Static_assert(sizeof(struct rvfs_logrec) <= RVFS_BSIZE, "a descriptor fits one block");

/* CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), the checksum
 * jbd2 and ext4 use. rvfs_crc_table fills the 256-entry table once;
 * rvfs_crc continues crc over n bytes (start with 0). */
static inline void rvfs_crc_table(uint32_t table[256])
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        table[i] = c;
    }
}

static inline uint32_t rvfs_crc(const uint32_t table[256], uint32_t crc, const void *data, uint64_t n)
{
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    for (uint64_t i = 0; i < n; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* Block 0: the orphan table. Each nonzero entry names an inode that was
 * unlinked while open: it has no name left but is still in use, and the
 * next mount frees it if a crash came before its last close. Mount frees
 * only inodes listed here (never one a directory may still name). An
 * image made before the table has zeros here: an empty table. */
#define RVFS_ORPHANS 0
#define RVFS_ORPHAN_MAX (RVFS_BSIZE / 4)

/* An inode: 64 bytes, 16 per block. A block pointer of 0 is a hole (block
 * 0 is never data). addrs[0..RVFS_NDIRECT-1] point at data blocks;
 * addrs[RVFS_NDIRECT] at an indirect block of 256 pointers;
 * addrs[RVFS_NDIRECT + 1] at a double-indirect block of 256 pointers to
 * indirect blocks. */
#define RVFS_NDIRECT 11
#define RVFS_NINDIRECT (RVFS_BSIZE / 4)
#define RVFS_MAXBLOCKS (RVFS_NDIRECT + RVFS_NINDIRECT + RVFS_NINDIRECT * RVFS_NINDIRECT)
#define RVFS_MAXFILE ((uint64_t)RVFS_MAXBLOCKS * RVFS_BSIZE) /* 65,803 KiB: just over 64 MiB */

struct rvfs_dinode {
    int16_t type; /* 0: free; T_DIR, T_FILE, T_DEVICE, T_SYMLINK (include/rvos/stat.h) */
    int16_t major, minor;
    int16_t nlink; /* directory entries naming it (a directory: + "." + each child's "..") */
    uint32_t size; /* bytes */
    uint32_t addrs[RVFS_NDIRECT + 2];
};
_Static_assert(sizeof(struct rvfs_dinode) == 64, "16 inodes per block");
#define RVFS_IPB (RVFS_BSIZE / sizeof(struct rvfs_dinode))
#define RVFS_BPB (RVFS_BSIZE * 8) /* blocks one bitmap block covers */

/* Directory entries are the classic 16-byte struct dirent (include/rvos/
 * fs.h): a 16-bit inode number (0: free slot) and a 14-byte name, NUL
 * padded. So at most 65,535 inodes. */
#define RVFS_DIRSIZ 14
struct rvfs_dirent {
    uint16_t inum;
    char name[RVFS_DIRSIZ];
};
_Static_assert(sizeof(struct rvfs_dirent) == 16, "the classic entry");

/* The kernel keeps one transaction's blocks and the bitmap blocks a
 * truncation may touch within the log: so a file system may have at most
 * this many bitmap blocks (RVFS_BPB blocks each: 8 MiB), 384 MiB in all. */
#define RVFS_MAX_BMAP 48

/* The one layout a file system of size blocks and ninodes inodes has:
 * mkfs writes it, and mount and fsck accept a superblock only if it is
 * exactly this. -1 if no such file system can exist (too small to hold a
 * few data blocks, too many bitmap blocks, inode numbers past a dirent's
 * 16 bits). */
static inline int rvfs_layout(uint32_t size, uint32_t ninodes, struct rvfs_super *sb)
{
    uint32_t nbmap = (uint32_t)(((uint64_t)size + RVFS_BPB - 1) / RVFS_BPB);
    *sb = (struct rvfs_super){0};
    sb->magic = RVFS_MAGIC;
    sb->version = RVFS_VERSION;
    sb->size = size;
    sb->ninodes = ninodes;
    sb->nlog = RVFS_LOG_MAX;
    sb->logstart = 2;
    sb->inodestart = sb->logstart + 1 + sb->nlog;
    sb->bmapstart = sb->inodestart + (uint32_t)((ninodes + RVFS_IPB - 1) / RVFS_IPB);
    sb->datastart = sb->bmapstart + nbmap;
    if (nbmap > RVFS_MAX_BMAP || ninodes < 2 || ninodes > 65536)
        return -1;
    return (uint64_t)sb->datastart + 16 <= size ? 0 : -1;
}
#endif
