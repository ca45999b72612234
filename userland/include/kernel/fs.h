/* The classic xv6 include path "kernel/fs.h": DIRSIZ, struct dirent, and
 * the classic file-size units. The classic on-disk structures (superblock,
 * dinode) have no counterpart: rvos's file system is in RAM.
 *
 * BSIZE, NDIRECT and NINDIRECT have the values of the classic large-files
 * lab. To a course program they are units, not a disk layout: it writes in
 * pieces of BSIZE and declares char buf[BSIZE] on its 1-page stack, which
 * a larger BSIZE would overflow. MAXFILE is the largest file, in blocks
 * (rvos's files have a double-indirect table, so it is that lab's formula,
 * about 64 MiB: bigfile writes until a write fails and expects 65,803
 * blocks); both of rvos's file systems refuse a write past it
 * (FS_MAXFILE_BYTES, docs/xv6-compat.md). */
#ifndef RVOS_COMPAT_KERNEL_FS_H
#define RVOS_COMPAT_KERNEL_FS_H
#include "rvos/fs.h"

#define BSIZE 1024
#define NDIRECT 11
#define NINDIRECT (BSIZE / sizeof(unsigned int))
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE (NDIRECT + NINDIRECT + NDINDIRECT)
_Static_assert(MAXFILE *BSIZE == FS_MAXFILE_BYTES, "MAXFILE is the kernel's limit");
#endif
