/* How the memory manager reaches files (mm/region.h, struct vm_file_ops):
 * a mapped file (an exec'd program, an mmap) is an inode, read and written
 * through the same calls as read() and write(), so both file systems work
 * and a write to the disk is a logged transaction like any other. */
#include "fs.h"
#include "vfs.h"
#include "../../mm/region.h"

static int64_t vmfile_read(void *file, void *dst, uint64_t off, uint64_t n) { return inode_read(file, dst, off, n); }

/* Cut like file_write: one transaction per inode_write_max bytes. */
static int64_t vmfile_write(void *file, const void *src, uint64_t off, uint64_t n)
{
    struct inode *ip = file;
    uint64_t max = inode_write_max(ip), done = 0;
    while (done < n) {
        uint64_t want = n - done;
        if (max && want > max)
            want = max;
        fs_op_begin();
        inode_lock(ip);
        int64_t r = inode_write_from(ip, 0, (uint64_t)src + done, off + done, want);
        inode_unlock(ip);
        fs_op_end();
        if (r <= 0)
            return done ? (int64_t)done : -1;
        done += (uint64_t)r;
    }
    return (int64_t)done;
}

static void *vmfile_dup(void *file) { return inode_dup(file); }

/* The last reference to an unlinked file frees it: a transaction. */
static void vmfile_put(void *file)
{
    fs_op_begin();
    inode_put(file);
    fs_op_end();
}

static uint64_t vmfile_size(void *file)
{
    struct stat st;
    inode_stat(file, &st);
    return st.size;
}

static uint64_t vmfile_refs(void *file) { return (uint64_t)inode_refs(file); }

/* Text busy. Each side raises its own count, then looks at the other's
 * (sequentially consistent), and backs off if it is not 0: of an exec and
 * an open for writing that race, at least one sees the other, so the two
 * never both succeed. Without this, a lazily loaded program would run the
 * new bytes of a file rewritten under it. */
static int hold(int *mine, int *theirs, int check)
{
    __atomic_fetch_add(mine, 1, __ATOMIC_SEQ_CST);
    if (check && __atomic_load_n(theirs, __ATOMIC_SEQ_CST) > 0) {
        __atomic_fetch_sub(mine, 1, __ATOMIC_SEQ_CST);
        return -1;
    }
    return 0;
}

static int vmfile_hold(void *file, int writer, int check)
{
    struct inode *ip = file;
    return writer ? hold(&ip->writers, &ip->text_users, check) : hold(&ip->text_users, &ip->writers, check);
}

static void vmfile_release(void *file, int writer)
{
    struct inode *ip = file;
    __atomic_fetch_sub(writer ? &ip->writers : &ip->text_users, 1, __ATOMIC_SEQ_CST);
}

int inode_write_begin(struct inode *ip) { return hold(&ip->writers, &ip->text_users, 1); }

void inode_write_end(struct inode *ip) { vmfile_release(ip, 1); }

static const struct vm_file_ops inode_file_ops = {vmfile_read, vmfile_write, vmfile_dup,  vmfile_put,
                                                  vmfile_size, vmfile_refs,  vmfile_hold, vmfile_release};

void vmfile_init(void) { vm_set_file_ops(&inode_file_ops); }
