/* File-descriptor system calls. */
#include "file.h"
#include "fs.h"
#include "proc.h"
#include "sysargs.h"
#include "../include/rvos/fcntl.h"
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

static int fd_install(struct file *f)
{
    struct proc *p = myproc();
    for (int fd = 0; fd < NOFILE; fd++)
        if (!p->ofile[fd]) {
            p->ofile[fd] = f;
            return fd;
        }
    return -1;
}

uint64_t sys_read(void)
{
    struct file *f = arg_file(0, 0);
    return f ? (uint64_t)(int64_t)file_read(f, arg_raw(1), arg_int(2)) : SYSCALL_ERR;
}

uint64_t sys_write(void)
{
    struct file *f = arg_file(0, 0);
    return f ? (uint64_t)(int64_t)file_write(f, arg_raw(1), arg_int(2)) : SYSCALL_ERR;
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

uint64_t sys_open(void)
{
    char path[128];
    int mode = arg_int(1);
    if (copyinstr(myproc()->as, path, arg_raw(0), sizeof path) < 0)
        return SYSCALL_ERR;
    struct inode *ip = namei(path);
    if (!ip)
        return SYSCALL_ERR;
    int is_dev = inode_type(ip) == T_DEVICE;
    if (!is_dev && (mode & (O_WRONLY | O_RDWR | O_CREATE | O_TRUNC))) {
        inode_put(ip); /* the initramfs is read-only */
        return SYSCALL_ERR;
    }
    struct file *f = file_alloc();
    int fd = f ? fd_install(f) : -1;
    if (fd < 0) {
        if (f)
            file_close(f);
        inode_put(ip);
        return SYSCALL_ERR;
    }
    if (is_dev) {
        inode_put(ip);
        f->type = FILE_CONSOLE;
        f->readable = (mode & O_WRONLY) == 0;
        f->writable = (mode & (O_WRONLY | O_RDWR)) != 0;
    } else {
        f->type = FILE_INODE;
        f->ip = ip;
        f->readable = 1;
    }
    return (uint64_t)fd;
}
