/* The classic xv6 include path "kernel/fs.h": DIRSIZ, struct dirent, and
 * the classic file-size units. The classic on-disk structures (superblock,
 * dinode) have no counterpart: rvos's file system is in RAM.
 *
 * BSIZE, NDIRECT and NINDIRECT keep their classic values. To a course
 * program they are units, not a disk layout: it writes in pieces of BSIZE
 * and declares char buf[BSIZE] on its 1-page stack, which a larger BSIZE
 * would overflow. MAXFILE is the largest file a program may count on:
 * rvos's files have a double-indirect table, so it is the formula of the
 * classic large-files lab, about 64 MiB (usertests' writebig writes that
 * much; its diskfull writes such files until memory runs out). rvos keeps
 * file data in 4 KiB frames, four such blocks each, and a file may grow
 * past MAXFILE until memory runs out (docs/xv6-compat.md). */
#ifndef RVOS_COMPAT_KERNEL_FS_H
#define RVOS_COMPAT_KERNEL_FS_H
#include "rvos/fs.h"

#define BSIZE 1024
#define NDIRECT 12
#define NINDIRECT (BSIZE / sizeof(unsigned int))
#define NDINDIRECT (NINDIRECT * NINDIRECT)
#define MAXFILE (NDIRECT + NINDIRECT + NDINDIRECT)
#endif
