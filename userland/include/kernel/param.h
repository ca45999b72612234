/* The classic xv6 include path "kernel/param.h": the kernel's limits. The
 * ones rvos really has come from include/rvos/param.h (NPROC, NCPU,
 * NOFILE, NFILE, MAXARG, MAXPATH, ROOTDEV). The rest have no rvos
 * counterpart and keep their classic values, so that programs that size
 * buffers and loops by them behave as on the classic kernel
 * (docs/xv6-compat.md). */
#ifndef RVOS_COMPAT_KERNEL_PARAM_H
#define RVOS_COMPAT_KERNEL_PARAM_H
#include "rvos/param.h"
#include "rvos/exec.h"

/* Pages of user stack this program got from exec: the build says how many
 * it asked for (RVOS_CLASSIC_STACK_PAGES, 1, for course programs);
 * without a word from the build, rvos's default. */
#ifdef RVOS_STACK_PAGES
#define USERSTACK RVOS_STACK_PAGES
#else
#define USERSTACK RVOS_STACK_PAGES_DEFAULT
#endif

/* The classic log's bound on the blocks one file-system call writes.
 * rvos has no log (and no disk); usertests sizes its buffers from it. */
#define MAXOPBLOCKS 10
/* The classic in-memory inode cache. rvos keeps every inode in memory, in
 * a table of 1024 that is the whole file system; usertests' iref makes
 * NINODE + 1 nested directories to check that lookups release inodes,
 * which with the classic 50 fits beside the boot files. */
#define NINODE 50
#endif
