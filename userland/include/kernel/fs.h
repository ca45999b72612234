/* The classic xv6 include path "kernel/fs.h": DIRSIZ, struct dirent, and
 * the block-map constants (BSIZE, NDIRECT, NINDIRECT, MAXFILE) of rvos's
 * RAM file system. The classic on-disk structures (superblock, dinode)
 * have no counterpart: there is no disk. */
#include "rvos/fs.h"
