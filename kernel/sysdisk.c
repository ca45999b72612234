/* The disk system call (include/rvos/disk.h): counters for anyone, raw
 * block reads and writes through the buffer cache for init or testmode. */
#include "fs/bio.h"
#include "fs/rvfs/rvfs.h"
#include "cmdline.h"
#include "proc.h"
#include "string.h"
#include "sysargs.h"
#include "../mm/vm.h"

/* The same rule as mmfail and poweroff (kernel/sysproc.c): raw blocks
 * bypass whatever file system the disk will hold. */
static int may_use_raw_disk(void) { return myproc()->pid == 1 || cmdline_get("testmode") != 0; }

static uint64_t disk_read(uint64_t block, uint64_t ubuf)
{
    if (block > UINT32_MAX)
        return SYSCALL_ERR;
    struct buf *b = bread((uint32_t)block);
    if (!b)
        return SYSCALL_ERR;
    int r = copyout(myproc()->as, ubuf, b->data, BSIZE);
    brelse(b);
    return r < 0 ? SYSCALL_ERR : 0;
}

static uint64_t disk_write(uint64_t block, uint64_t ubuf)
{
    if (block > UINT32_MAX)
        return SYSCALL_ERR;
    struct buf *b = bclaim((uint32_t)block);
    if (!b)
        return SYSCALL_ERR;
    int r = copyin(myproc()->as, b->data, ubuf, BSIZE);
    if (r < 0)
        b->valid = 0; /* half copied: the disk still has the old contents */
    else
        r = bwrite(b);
    brelse(b);
    return r < 0 ? SYSCALL_ERR : 0;
}

uint64_t sys_disk(void)
{
    int op = arg_int(0);
    uint64_t block = arg_raw(1), ubuf = arg_raw(2);
    if (op == DISK_STAT) {
        struct diskstat st;
        bio_stat(&st); /* clears all of st first */
        st.fs_free = rvfs_count_free();
        rvfs_log_stat(&st);
        return copyout(myproc()->as, ubuf, &st, sizeof st) < 0 ? SYSCALL_ERR : 0;
    }
    if (op != DISK_READ && op != DISK_WRITE && op != DISK_SYNC)
        return SYSCALL_ERR;
    if (!may_use_raw_disk())
        return SYSCALL_ERR;
    if (op == DISK_SYNC)
        return bsync() < 0 ? SYSCALL_ERR : 0;
    return op == DISK_READ ? disk_read(block, ubuf) : disk_write(block, ubuf);
}
