/* The classic include path "kernel/file.h": lab tests include it (the fs
 * lab's symlinktest) for nothing a user program can use. What is here is
 * harmless: the device-number macros (a device's major and minor number,
 * as mknod takes them) and the open-file structure's name, declared but
 * not defined, since rvos's open files live in the kernel only. */
#ifndef RVOS_COMPAT_KERNEL_FILE_H
#define RVOS_COMPAT_KERNEL_FILE_H
#include "kernel/types.h"

struct file;
struct inode;

#define major(dev) ((dev) >> 16 & 0xFFFF)
#define minor(dev) ((dev)&0xFFFF)
#define mkdev(m, n) ((uint)((m) << 16 | (n)))
#endif
