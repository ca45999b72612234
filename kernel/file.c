#include "file.h"
#include "console.h"
#include "fs.h"
#include "panic.h"
#include "proc.h"
#include "spinlock.h"
#include "../mm/vm.h"

#define NFILE 128
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
    else if (copy.type == FILE_INODE)
        inode_put(copy.ip);
}

int file_read(struct file *f, uint64_t addr, int n)
{
    if (!f->readable || n < 0)
        return -1;
    switch (f->type) {
    case FILE_CONSOLE:
        return console_read(addr, n, 1);
    case FILE_PIPE:
        return pipe_read(f->pipe, addr, n);
    case FILE_INODE: {
        char buf[512];
        int total = 0;
        while (total < n) {
            int chunk = n - total > (int)sizeof buf ? (int)sizeof buf : n - total;
            int64_t got = inode_read(f->ip, buf, f->off, (uint64_t)chunk);
            if (got <= 0)
                break;
            if (copyout(myproc()->as, addr + (uint64_t)total, buf, (uint64_t)got) < 0)
                return total ? total : -1;
            f->off += (uint64_t)got;
            total += (int)got;
        }
        return total;
    }
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
        return console_write(addr, n, 1);
    case FILE_PIPE:
        return pipe_write(f->pipe, addr, n);
    default:
        return -1;
    }
}

int file_stat(struct file *f, uint64_t addr)
{
    struct stat st = {0, 0, 0, 0, 0};
    if (f->type == FILE_INODE)
        inode_stat(f->ip, &st);
    else if (f->type == FILE_CONSOLE)
        st.type = T_DEVICE, st.nlink = 1;
    else
        return -1;
    return copyout(myproc()->as, addr, &st, sizeof st);
}
