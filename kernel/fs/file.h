/* Open files: one struct file per open(), shared by dup() and fork(). */
#ifndef RVOS_KERNEL_FILE_H
#define RVOS_KERNEL_FILE_H
#include <stdint.h>

enum file_type { FILE_NONE, FILE_CONSOLE, FILE_PIPE, FILE_INODE };

struct pipe;
struct inode;
/* FILE_INODE: a file, a directory (read-only: read() returns its struct
 * dirent array) or a device node without a driver (read and write fail).
 * FILE_CONSOLE: the console; ip is its device node when it was opened by
 * name, 0 for the one the kernel gives the first process. */
struct file {
    enum file_type type;
    int ref; /* under the file table lock */
    char readable, writable;
    struct pipe *pipe;
    struct inode *ip; /* a reference, dropped at the last close */
    uint64_t off;     /* FILE_INODE: under ip's lock */
    uint32_t wb_seen; /* FILE_INODE: the inode's failure count this file saw (inode_fsync) */
};

struct file *file_alloc(void);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
/* addr is a user address of the current process. */
int file_read(struct file *f, uint64_t addr, int n);
int file_write(struct file *f, uint64_t addr, int n);
int file_stat(struct file *f, uint64_t addr);
/* fsync: 0 when everything f's inode holds is on the disk and no change to
 * it failed since f last asked (or was opened); -1 otherwise, and for a
 * pipe or the console (nothing to make durable). */
int file_fsync(struct file *f);

/* kernel/fs/pipe.c */
int pipe_create(struct file **rf, struct file **wf);
void pipe_close(struct pipe *pi, int writable);
int pipe_read(struct pipe *pi, uint64_t addr, int n);
int pipe_write(struct pipe *pi, uint64_t addr, int n);
#endif
