/* The file system interface the rest of the kernel uses. */
#ifndef RVOS_KERNEL_FS_H
#define RVOS_KERNEL_FS_H
#include <stdint.h>
#include "../include/rvos/stat.h"

struct inode;
void fs_init(const void *initrd, uint64_t size);
/* Looks a path up (absolute, or relative to the current directory).
 * Returns a referenced inode or 0. */
struct inode *namei(const char *path);
struct inode *inode_dup(struct inode *ip);
void inode_put(struct inode *ip);
int inode_type(struct inode *ip);
uint64_t inode_size(struct inode *ip);
/* Reads up to n bytes at off into a kernel buffer; returns the count. */
int64_t inode_read(struct inode *ip, void *dst, uint64_t off, uint64_t n);
void inode_stat(struct inode *ip, struct stat *st);
#endif
