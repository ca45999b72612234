/* The open-file table: one struct file per open() or pipe end, shared by
 * dup() and fork(), and reading and writing through one. */
#include "file.h"
#include "../console.h"
#include "fs.h"
#include "../panic.h"
#include "../proc.h"
#include "../spinlock.h"
#include "../string.h"
#include "../../include/rvos/param.h" /* NFILE */
#include "../../mm/vm.h"

static struct file files[NFILE];
static struct spinlock files_lock = {0, "files", 0};

struct file *file_alloc(void)
{
    spin_lock(&files_lock);
    for (struct file *f = files; f < files + NFILE; f++)
        if (f->ref == 0) {
            f->ref = 1;
            spin_unlock(&files_lock);
            f->type = FILE_NONE;
            f->pipe = 0;
            f->ip = 0;
            f->off = 0;
            f->wb_seen = 0;
            f->readable = f->writable = 0;
            return f;
        }
    spin_unlock(&files_lock);
    return 0;
}

struct file *file_dup(struct file *f)
{
    spin_lock(&files_lock);
    if (f->ref < 1)
        panic("file_dup: ref %d", f->ref);
    f->ref++;
    spin_unlock(&files_lock);
    return f;
}

void file_close(struct file *f)
{
    spin_lock(&files_lock);
    if (f->ref < 1)
        panic("file_close: ref %d", f->ref);
    if (--f->ref > 0) {
        spin_unlock(&files_lock);
        return;
    }
    struct file copy = *f;
    f->type = FILE_NONE;
    spin_unlock(&files_lock);
    if (copy.type == FILE_PIPE)
        pipe_close(copy.pipe, copy.writable);
    if (copy.ip) {
        if (copy.writable && copy.type == FILE_INODE && inode_type(copy.ip) == T_FILE)
            inode_write_end(copy.ip);
        fs_op_begin();
        inode_put(copy.ip); /* frees it if it was unlinked meanwhile */
        fs_op_end();
    }
}

/* Reads or writes at the file's offset and moves it on. The inode lock
 * makes each call atomic with respect to every other read and write of
 * the file, and keeps the offset right when fork shared f. On the disk
 * file system a write is one transaction, so a large one is cut into
 * slices of at most inode_write_max bytes, each its own transaction
 * (atomic each, as the classic kernel's are), and the count returned
 * covers only slices that reached the disk. */
static int inode_rw(struct file *f, uint64_t addr, int n, int write)
{
    if (inode_type(f->ip) == T_DEVICE)
        return -1; /* no driver behind this major number */
    if (!write) {
        inode_lock(f->ip);
        int64_t r = inode_read_to(f->ip, 1, addr, f->off, (uint64_t)n);
        if (r > 0)
            f->off += (uint64_t)r;
        inode_unlock(f->ip);
        return (int)r;
    }
    uint64_t max = inode_write_max(f->ip), done = 0;
    do {
        uint64_t want = (uint64_t)n - done;
        if (max && want > max)
            want = max;
        fs_op_begin();
        inode_lock(f->ip);
        int64_t r = inode_write_from(f->ip, 1, addr + done, f->off, want);
        if (r > 0)
            f->off += (uint64_t)r;
        inode_unlock(f->ip);
        /* Only what reached the disk counts as written. */
        if (fs_op_end() < 0 || r < 0)
            return done ? (int)done : -1;
        done += (uint64_t)r;
        /* A short slice of a sliced write goes on in a new one (the disk
         * file system ends a slice early when its log share runs out; a
         * full disk makes the next one fail). An unsliced write that came
         * up short (no memory) is over. */
        if (r == 0 || (!max && (uint64_t)r < want))
            break;
    } while (done < (uint64_t)n);
    return (int)done;
}

int file_read(struct file *f, uint64_t addr, int n)
{
    if (!f->readable || n < 0)
        return -1;
    switch (f->type) {
    case FILE_CONSOLE:
        return console_read(addr, n);
    case FILE_PIPE:
        return pipe_read(f->pipe, addr, n);
    case FILE_INODE:
        return inode_rw(f, addr, n, 0);
    default:
        return -1;
    }
}

int file_write(struct file *f, uint64_t addr, int n)
{
    if (!f->writable || n < 0)
        return -1;
    switch (f->type) {
    case FILE_CONSOLE:
        return console_write(addr, n);
    case FILE_PIPE:
        return pipe_write(f->pipe, addr, n);
    case FILE_INODE:
        return inode_rw(f, addr, n, 1);
    default:
        return -1;
    }
}

int file_fsync(struct file *f)
{
    if (f->type != FILE_INODE)
        return -1;
    return inode_fsync(f->ip, &f->wb_seen);
}

int file_stat(struct file *f, uint64_t addr)
{
    /* Cleared with memset, not an initializer: that need not zero the
     * padding (after nlink), and copyout would hand the kernel's stack
     * bytes to the user. */
    struct stat st;
    memset(&st, 0, sizeof st);
    if (f->ip)
        inode_stat(f->ip, &st);
    else if (f->type == FILE_CONSOLE)
        st.type = T_DEVICE, st.nlink = 1; /* the first process's, opened without a name */
    else
        return -1;
    return copyout(myproc()->as, addr, &st, sizeof st);
}
