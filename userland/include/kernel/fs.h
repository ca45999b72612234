/* The classic xv6 include path "kernel/fs.h": DIRSIZ, struct dirent, and
 * the classic file-size units. The classic on-disk structures (superblock,
 * dinode) have no counterpart: rvos's file system is in RAM.
 *
 * BSIZE, NDIRECT, NINDIRECT and MAXFILE keep their classic values. To a
 * course program they are units, not a disk layout: a program writes in
 * pieces of BSIZE and counts on files of MAXFILE blocks (usertests'
 * writebig, diskfull), and it declares char buf[BSIZE] on a 1-page stack,
 * which a larger BSIZE would overflow. rvos's RAM file system keeps data
 * in 4 KiB frames (four such blocks each) and lets a file grow far past
 * MAXFILE * BSIZE, until memory runs out (docs/xv6-compat.md). */
#ifndef RVOS_COMPAT_KERNEL_FS_H
#define RVOS_COMPAT_KERNEL_FS_H
#include "rvos/fs.h"

#define BSIZE 1024
#define NDIRECT 12
#define NINDIRECT (BSIZE / sizeof(unsigned int))
#define MAXFILE (NDIRECT + NINDIRECT)
#endif
