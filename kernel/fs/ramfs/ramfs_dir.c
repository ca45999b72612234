/* Directories: a directory's data is an array of struct dirent
 * (include/rvos/fs.h), read and written in place in its frames. Entries
 * never straddle a frame: 16 divides 4096. */
#include "ramfs.h"
#include "../../panic.h"
#include "../../string.h"
#include "../../../mm/page.h"

_Static_assert(sizeof(struct dirent) == 16, "the classic xv6 entry layout");
_Static_assert(PAGE_SIZE % sizeof(struct dirent) == 0, "entries never straddle a frame");

/* The entry at byte offset off, or 0 if its frame is a hole (which a
 * directory only has if a write into it failed half way). */
static struct dirent *dir_slot(struct inode *dp, uint64_t off)
{
    struct page *pg = ramfs_block(dp, off / PAGE_SIZE);
    return pg ? (struct dirent *)((char *)page_va(pg) + off % PAGE_SIZE) : 0;
}

/* Names are at most DIRSIZ bytes (namei cuts longer ones), and one of exactly
 * DIRSIZ bytes fills the field without a NUL: compare DIRSIZ bytes at most. */
static int name_is(const struct dirent *de, const char *name) { return strncmp(de->name, name, DIRSIZ) == 0; }

uint32_t ramfs_dir_lookup(struct inode *dp, const char *name, uint64_t *off)
{
    ASSERT(dp->type == T_DIR);
    for (uint64_t o = 0; o < dp->size; o += sizeof(struct dirent)) {
        struct dirent *de = dir_slot(dp, o);
        if (de && de->inum && name_is(de, name)) {
            if (off)
                *off = o;
            return de->inum;
        }
    }
    return 0;
}

int ramfs_dir_add(struct inode *dp, const char *name, uint32_t inum)
{
    ASSERT(dp->type == T_DIR && inum > 0 && inum <= 0xffff);
    struct dirent de;
    memset(&de, 0, sizeof de);
    de.inum = (unsigned short)inum;
    for (int i = 0; i < DIRSIZ && name[i]; i++)
        de.name[i] = name[i];
    /* Reuse a slot an unlink left empty before growing the directory. */
    for (uint64_t o = 0; o < dp->size; o += sizeof de) {
        struct dirent *slot = dir_slot(dp, o);
        if (slot && slot->inum == 0) {
            *slot = de;
            return 0;
        }
    }
    return ramfs_write(dp, 0, (uint64_t)&de, dp->size, sizeof de) == sizeof de ? 0 : -1;
}

void ramfs_dir_remove(struct inode *dp, uint64_t off)
{
    struct dirent *de = dir_slot(dp, off);
    ASSERT(de && de->inum);
    memset(de, 0, sizeof *de);
    /* Drop the empty slots at the end so that a directory that grew and
     * emptied again gives its frames back. */
    uint64_t size = dp->size;
    while (size >= sizeof *de) {
        struct dirent *last = dir_slot(dp, size - sizeof *de);
        if (last && last->inum)
            break;
        size -= sizeof *de;
    }
    ramfs_truncate(dp, size);
}

int ramfs_dir_is_empty(struct inode *dp)
{
    for (uint64_t o = 0; o < dp->size; o += sizeof(struct dirent)) {
        struct dirent *de = dir_slot(dp, o);
        if (de && de->inum && !name_is(de, ".") && !name_is(de, ".."))
            return 0;
    }
    return 1;
}
