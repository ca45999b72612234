/* A file's data: the block map (see ramfs.h), reading, writing and
 * truncating, and the bytes a small file keeps inside its inode. Every
 * frame here, data or table, is the file's own: taken with refcount 1 and
 * marked PG_KERNEL, and given back with page_put when the file shrinks
 * past it or is freed. */
#include "ramfs.h"
#include "../../panic.h"
#include "../../proc.h"
#include "../../string.h"
#include "../../../mm/page.h"
#include "../../../mm/vm.h"

/* What a hole reads as. */
static const uint8_t zeros[PAGE_SIZE];

/* How many blocks one entry of a table at depth d covers: a data frame
 * (depth 0) holds one block, an indirect table 512, a double one 512^2. */
static uint64_t span(int depth)
{
    uint64_t s = 1;
    while (depth-- > 0)
        s *= PTRS_PER_PAGE;
    return s;
}

static struct page *frame_new(void)
{
    struct page *pg = page_alloc(PAGE_ZERO);
    if (pg)
        pg->flags |= PG_KERNEL;
    return pg;
}

/* The slot that holds (or would hold) block b's frame. With alloc, the
 * tables on the way are created as needed. 0 if b is past the largest
 * file, or a table is missing and !alloc, or none could be allocated (the
 * tables made so far stay: they belong to the file now). */
static struct page **bmap_slot(struct inode *ip, uint64_t b, int alloc)
{
    struct page **pp;
    int depth;
    ASSERT(!ip->inline_data);
    if (b < RAMFS_NDIRECT)
        return &ip->direct[b];
    b -= RAMFS_NDIRECT;
    if (b < span(1)) {
        pp = &ip->indirect;
        depth = 1;
    } else {
        b -= span(1);
        if (b >= span(2))
            return 0;
        pp = &ip->dindirect;
        depth = 2;
    }
    for (; depth > 0; depth--) {
        if (!*pp && (!alloc || !(*pp = frame_new())))
            return 0;
        struct page **table = page_va(*pp);
        pp = &table[b / span(depth - 1)];
        b %= span(depth - 1);
    }
    return pp;
}

struct page *ramfs_block(struct inode *ip, uint64_t b)
{
    struct page **pp = bmap_slot(ip, b, 0);
    return pp ? *pp : 0;
}

/* *pp is a frame at depth (0: data, 1 or 2: a table) covering the blocks
 * from base on. Frees every block >= from under it, and the frame itself
 * when it lies wholly past from or (a table) has nothing left under it. */
static void bmap_trim(struct page **pp, int depth, uint64_t base, uint64_t from)
{
    if (!*pp)
        return;
    int empty = 1;
    if (depth > 0) {
        struct page **table = page_va(*pp);
        uint64_t s = span(depth - 1);
        for (uint64_t i = 0; i < PTRS_PER_PAGE; i++) {
            if (base + (i + 1) * s > from)
                bmap_trim(&table[i], depth - 1, base + i * s, from);
            if (table[i])
                empty = 0;
        }
    }
    if (base >= from || (depth > 0 && empty)) {
        page_put(*pp);
        *pp = 0;
    }
}

void ramfs_truncate(struct inode *ip, uint64_t size)
{
    if (size > ip->size)
        return;
    if (ip->inline_data) {
        /* Bytes past the end read as zero, also after the file grows. */
        memset(ip->bytes + size, 0, RAMFS_INLINE_MAX - size);
        ip->size = size;
        return;
    }
    /* Trim even when size is the current size: a write that failed half
     * way may have left a table or a zeroed block past the end. */
    uint64_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE; /* blocks still needed */
    for (uint64_t i = 0; i < RAMFS_NDIRECT; i++)
        bmap_trim(&ip->direct[i], 0, i, keep);
    bmap_trim(&ip->indirect, 1, RAMFS_NDIRECT, keep);
    bmap_trim(&ip->dindirect, 2, RAMFS_NDIRECT + span(1), keep);
    /* Bytes past the end of a file always read as zero, also after it
     * grows again: clear the tail of a last block that stays. */
    struct page *last = size % PAGE_SIZE ? ramfs_block(ip, size / PAGE_SIZE) : 0;
    if (last)
        memset((char *)page_va(last) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    ip->size = size;
    /* A file cut back to what fits in the inode gives its frame back and
     * keeps its bytes there again. */
    if (size <= RAMFS_INLINE_MAX && ip->type == T_FILE) {
        uint8_t keep_bytes[RAMFS_INLINE_MAX];
        memset(keep_bytes, 0, sizeof keep_bytes);
        if (size && ip->direct[0])
            memcpy(keep_bytes, page_va(ip->direct[0]), size);
        bmap_trim(&ip->direct[0], 0, 0, 0);
        memcpy(ip->bytes, keep_bytes, RAMFS_INLINE_MAX);
        ip->inline_data = 1;
    }
}

/* Moves a small file's bytes into a block of their own, so that it can
 * grow past RAMFS_INLINE_MAX. -1 (and nothing changes) without memory. */
static int inline_to_block(struct inode *ip)
{
    struct page *pg = frame_new();
    if (!pg)
        return -1;
    memcpy(page_va(pg), ip->bytes, RAMFS_INLINE_MAX);
    memset(ip->bytes, 0, RAMFS_INLINE_MAX);
    ip->inline_data = 0;
    ip->direct[0] = pg;
    return 0;
}

int64_t ramfs_read(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n)
{
    ASSERT(sleep_holding(&ip->lock));
    if (off >= ip->size)
        return 0;
    if (n > ip->size - off)
        n = ip->size - off;
    if (ip->inline_data)
        return vfs_copy_to(user, addr, ip->bytes + off, n) < 0 ? -1 : (int64_t)n;
    uint64_t done = 0;
    while (done < n) {
        uint64_t pos = off + done, in = pos % PAGE_SIZE;
        uint64_t chunk = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
        struct page *pg = ramfs_block(ip, pos / PAGE_SIZE);
        const uint8_t *src = (pg ? (const uint8_t *)page_va(pg) : zeros) + in;
        if (vfs_copy_to(user, addr + done, src, chunk) < 0)
            return done ? (int64_t)done : -1;
        done += chunk;
    }
    return (int64_t)done;
}

int64_t ramfs_write(struct inode *ip, int user, uint64_t addr, uint64_t off, uint64_t n)
{
    ASSERT(sleep_holding(&ip->lock));
    const uint64_t max = FS_MAXFILE_BYTES; /* the classic limit, though the map would reach 1 GiB */
    /* A write starts at or before the end, never past it: the classic
     * rule (xv6's writei, usertests' truncate2), so a file never gets a
     * gap. An fd can only point past the end after another fd truncated
     * the file; its writes then fail and change nothing. */
    if (off > ip->size)
        return -1;
    if (n == 0)
        return 0;
    if (off >= max)
        return -1;
    if (n > max - off)
        n = max - off;
    if (ip->inline_data && off + n <= RAMFS_INLINE_MAX) {
        if (vfs_copy_from(user, ip->bytes + off, addr, n) < 0) {
            /* What landed past the end must read as zeros again. */
            if (off + n > ip->size)
                memset(ip->bytes + ip->size, 0, off + n - ip->size);
            return -1;
        }
        if (off + n > ip->size)
            ip->size = off + n;
        return (int64_t)n;
    }
    if (ip->inline_data && inline_to_block(ip) < 0)
        return -1;
    uint64_t done = 0;
    while (done < n) {
        uint64_t pos = off + done, in = pos % PAGE_SIZE;
        uint64_t chunk = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
        struct page **pp = bmap_slot(ip, pos / PAGE_SIZE, 1);
        if (pp && !*pp)
            *pp = frame_new();
        if (!pp || !*pp)
            break; /* out of memory: what is written stays */
        uint8_t *dst = (uint8_t *)page_va(*pp) + in;
        if (vfs_copy_from(user, dst, addr + done, chunk) < 0) {
            /* Part of the chunk may have landed. Whatever of it lies past
             * the end must read as zeros again (see inode_truncate). */
            if (pos + chunk > ip->size) {
                uint64_t from = pos > ip->size ? pos : ip->size;
                memset(dst + (from - pos), 0, pos + chunk - from);
            }
            break;
        }
        done += chunk;
        if (pos + chunk > ip->size)
            ip->size = pos + chunk;
    }
    /* A write that stopped short (a bad address, no memory) gives back
     * what it took past the new end: a frame for the block it could not
     * fill, or the one a small file moved into (usertests' lazy_copy
     * writes 512 bytes from a bad address into an empty file). */
    if (done < n)
        ramfs_truncate(ip, ip->size);
    return done ? (int64_t)done : -1;
}
