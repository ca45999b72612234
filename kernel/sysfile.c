/* File-descriptor and file-system calls. Each checks its arguments and
 * returns -1 for anything wrong: a bad fd, a bad pointer, a bad path, a
 * name that exists (or does not), out of memory. */
#include "fs/file.h"
#include "fs/fs.h"
#include "proc.h"
#include "sysargs.h"
#include "../include/rvos/fcntl.h"
#include "../include/rvos/mman.h"
#include "../mm/aspace.h"
#include "../mm/vm.h"

/* The open file behind fd argument n of the current process, or 0. */
static struct file *arg_file(int n, int *fd_out)
{
    int fd = arg_int(n);
    if (fd < 0 || fd >= NOFILE)
        return 0;
    if (fd_out)
        *fd_out = fd;
    return myproc()->ofile[fd];
}

/* Copies path argument n in; 0, or -1 for a bad pointer or a path
 * longer than MAXPATH - 1. */
static int arg_path(int n, char *buf) { return copyinstr(myproc()->as, buf, arg_raw(n), MAXPATH) < 0 ? -1 : 0; }

/* The lowest free fd, or -1. Only the process itself changes its table,
 * so the fd stays free until it installs something there. */
static int fd_free(void)
{
    struct proc *p = myproc();
    for (int fd = 0; fd < NOFILE; fd++)
        if (!p->ofile[fd])
            return fd;
    return -1;
}

/* Puts f in the lowest free fd; returns it, or -1 if the table is full. */
static int fd_install(struct file *f)
{
    int fd = fd_free();
    if (fd >= 0)
        myproc()->ofile[fd] = f;
    return fd;
}

/* read and write copy under locks (an inode's sleep lock, a pipe's spin
 * lock), where a page of a file mapping cannot be read in: such pages of
 * the buffer are filled first (vm_prefault). */
uint64_t sys_read(void)
{
    struct file *f = arg_file(0, 0);
    if (!f)
        return SYSCALL_ERR;
    vm_prefault(myproc()->as, arg_raw(1), (uint64_t)arg_int(2));
    return (uint64_t)(int64_t)file_read(f, arg_raw(1), arg_int(2));
}

uint64_t sys_write(void)
{
    struct file *f = arg_file(0, 0);
    if (!f)
        return SYSCALL_ERR;
    vm_prefault(myproc()->as, arg_raw(1), (uint64_t)arg_int(2));
    return (uint64_t)(int64_t)file_write(f, arg_raw(1), arg_int(2));
}

/* mmap(addr, len, prot, flags, fd, off) (include/rvos/mman.h). A file
 * mapping needs a regular file open for reading, and open for writing too
 * if it is shared and writable. Returns the address or -1 (MAP_FAILED). */
uint64_t sys_mmap(void)
{
    uint64_t addr = arg_raw(0), len = arg_raw(1), off = arg_raw(5);
    int prot = arg_int(2), flags = arg_int(3);
    int shared = (flags & (MAP_SHARED | MAP_PRIVATE)) == MAP_SHARED;
    if ((flags & ~(MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS)) || !(flags & (MAP_SHARED | MAP_PRIVATE)) ||
        (flags & MAP_SHARED && flags & MAP_PRIVATE) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) ||
        ((prot & PROT_WRITE) && (prot & PROT_EXEC)))
        return SYSCALL_ERR;
    /* A writable page is readable too: W without R is reserved (Sv39). */
    uint32_t pte_prot = (prot & (PROT_READ | PROT_WRITE) ? PROT_R : 0) | (prot & PROT_WRITE ? PROT_W : 0) |
                        (prot & PROT_EXEC ? PROT_X : 0);
    struct inode *ip = 0;
    if (!(flags & MAP_ANONYMOUS)) {
        struct file *f = arg_file(4, 0);
        if (!f || f->type != FILE_INODE || inode_type(f->ip) != T_FILE || !f->readable ||
            (shared && (prot & PROT_WRITE) && !f->writable))
            return SYSCALL_ERR;
        ip = f->ip;
    }
    return (uint64_t)aspace_mmap(myproc()->as, addr, len, pte_prot, shared, ip, off);
}

uint64_t sys_close(void)
{
    int fd;
    struct file *f = arg_file(0, &fd);
    if (!f)
        return SYSCALL_ERR;
    myproc()->ofile[fd] = 0;
    file_close(f);
    return 0;
}

uint64_t sys_fsync(void)
{
    struct file *f = arg_file(0, 0);
    return f ? (uint64_t)(int64_t)file_fsync(f) : SYSCALL_ERR;
}

uint64_t sys_dup(void)
{
    struct file *f = arg_file(0, 0);
    if (!f)
        return SYSCALL_ERR;
    int fd = fd_install(f);
    if (fd < 0)
        return SYSCALL_ERR;
    file_dup(f);
    return (uint64_t)fd;
}

uint64_t sys_fstat(void)
{
    struct file *f = arg_file(0, 0);
    return f ? (uint64_t)(int64_t)file_stat(f, arg_raw(1)) : SYSCALL_ERR;
}

uint64_t sys_pipe(void)
{
    struct proc *p = myproc();
    struct file *rf, *wf;
    if (pipe_create(&rf, &wf) < 0)
        return SYSCALL_ERR;
    int fds[2] = {fd_install(rf), -1};
    if (fds[0] >= 0)
        fds[1] = fd_install(wf);
    if (fds[1] < 0 || copyout(p->as, arg_raw(0), fds, sizeof fds) < 0) {
        if (fds[0] >= 0)
            p->ofile[fds[0]] = 0;
        if (fds[1] >= 0)
            p->ofile[fds[1]] = 0;
        file_close(rf);
        file_close(wf);
        return SYSCALL_ERR;
    }
    return 0;
}

/* open(path, flags). The fd and the struct file are taken before the path
 * is looked at, so that running out of them changes nothing. */
static uint64_t open_path(void)
{
    char path[MAXPATH];
    int flags = arg_int(1), acc = flags & 3;
    if (arg_path(0, path) < 0 || acc == 3)
        return SYSCALL_ERR;
    int fd = fd_free();
    struct file *f = fd >= 0 ? file_alloc() : 0;
    if (!f)
        return SYSCALL_ERR;
    struct inode *ip;
    if (flags & O_CREATE) {
        ip = fs_create(path, T_FILE, 0, 0, 1); /* opens the file if it exists */
        /* LAB fs BEGIN: an existing symbolic link is opened through, unless O_NOFOLLOW */
        if (ip && inode_type(ip) == T_SYMLINK && !(flags & O_NOFOLLOW)) {
            /* Through the link to an existing file; a dangling link
             * fails rather than creating its target. */
            inode_unlock(ip);
            inode_put(ip);
            if ((ip = namei(path)) != 0)
                inode_lock(ip);
        }
        /* LAB fs END */
    } else {
        /* LAB fs BEGIN: O_NOFOLLOW looks the last name up without following a link */
        ip = flags & O_NOFOLLOW ? namei_nofollow(path) : namei(path);
        /* LAB fs STUB
        ip = namei(path);
           LAB fs END */
        if (ip)
            inode_lock(ip);
    }
    if (!ip) {
        file_close(f);
        return SYSCALL_ERR;
    }
    int type = inode_type(ip);
    /* A directory is only ever opened to read its entries, and a symbolic
     * link (O_NOFOLLOW) to read its target. */
    if ((type == T_DIR || type == T_SYMLINK) && (acc != O_RDONLY || (flags & (O_CREATE | O_TRUNC)))) {
        inode_unlock(ip);
        inode_put(ip);
        file_close(f);
        return SYSCALL_ERR;
    }
    /* A running program's file is not for writing or truncating
     * (ETXTBSY): under lazy allocation it would run the new bytes. */
    int writes = type == T_FILE && (acc != O_RDONLY || (flags & O_TRUNC));
    if (writes && inode_write_begin(ip) < 0) {
        inode_unlock(ip);
        inode_put(ip);
        file_close(f);
        return SYSCALL_ERR;
    }
    if (type == T_FILE && (flags & O_TRUNC))
        inode_truncate(ip, 0);
    if (writes && acc == O_RDONLY)
        inode_write_end(ip); /* truncated, and not open for writing */
    inode_unlock(ip);
    f->type = type == T_DEVICE && inode_major(ip) == CONSOLE ? FILE_CONSOLE : FILE_INODE;
    f->ip = ip;
    f->wb_seen = inode_wb_err(ip); /* fsync reports only failures from now on */
    f->readable = acc != O_WRONLY;
    f->writable = acc != O_RDONLY;
    myproc()->ofile[fd] = f;
    return (uint64_t)fd;
}

/* The result r of a call that may have changed a file system, once its
 * changes are on the disk: r, or an error if they could not be written. */
static uint64_t fs_op_result(uint64_t r) { return fs_op_end() < 0 ? SYSCALL_ERR : r; }

uint64_t sys_open(void)
{
    fs_op_begin(); /* creating or truncating changes the file system */
    uint64_t r = open_path();
    if (fs_op_result(r) == SYSCALL_ERR && r != SYSCALL_ERR) {
        /* Created or truncated in memory only: no file to hand out. */
        struct file *f = myproc()->ofile[r];
        myproc()->ofile[r] = 0;
        file_close(f);
        r = SYSCALL_ERR;
    }
    return r;
}

/* Creates path as a new inode of the type; -1 if the name exists. */
static uint64_t create_new(int type, int major, int minor)
{
    char path[MAXPATH];
    if (arg_path(0, path) < 0)
        return SYSCALL_ERR;
    fs_op_begin();
    struct inode *ip = fs_create(path, type, major, minor, 0);
    if (ip) {
        inode_unlock(ip);
        inode_put(ip);
    }
    return fs_op_result(ip ? 0 : SYSCALL_ERR);
}

uint64_t sys_mkdir(void) { return create_new(T_DIR, 0, 0); }

/* mknod(path, major, minor): the numbers are shorts in the xv6 API. */
uint64_t sys_mknod(void)
{
    int major = arg_int(1), minor = arg_int(2);
    if (major < 0 || major > 0x7fff || minor < 0 || minor > 0x7fff)
        return SYSCALL_ERR;
    return create_new(T_DEVICE, major, minor);
}

uint64_t sys_chdir(void)
{
    char path[MAXPATH];
    struct proc *p = myproc();
    if (arg_path(0, path) < 0)
        return SYSCALL_ERR;
    fs_op_begin(); /* dropping the old directory may free it */
    struct inode *ip = namei(path);
    int ok = ip && inode_type(ip) == T_DIR;
    if (ok) {
        struct inode *old = p->cwd;
        p->cwd = ip;
        if (old)
            inode_put(old);
    } else if (ip) {
        inode_put(ip);
    }
    fs_op_end();
    return ok ? 0 : SYSCALL_ERR;
}

uint64_t sys_link(void)
{
    char oldpath[MAXPATH], newpath[MAXPATH];
    if (arg_path(0, oldpath) < 0 || arg_path(1, newpath) < 0)
        return SYSCALL_ERR;
    fs_op_begin();
    int r = fs_link(oldpath, newpath);
    return fs_op_result(r < 0 ? SYSCALL_ERR : 0);
}

uint64_t sys_unlink(void)
{
    char path[MAXPATH];
    if (arg_path(0, path) < 0)
        return SYSCALL_ERR;
    fs_op_begin();
    int r = fs_unlink(path);
    return fs_op_result(r < 0 ? SYSCALL_ERR : 0);
}

/* symlink(target, path): path becomes a symbolic link to target. */
uint64_t sys_symlink(void)
{
    char target[MAXPATH], path[MAXPATH];
    if (arg_path(0, target) < 0 || arg_path(1, path) < 0)
        return SYSCALL_ERR;
    fs_op_begin();
    int r = fs_symlink(target, path);
    return fs_op_result(r < 0 ? SYSCALL_ERR : 0);
}
