/* Limits of the kernel that user programs may count on, shared by the
 * kernel and user programs (userland/include/kernel/param.h offers them
 * under the classic include path, beside the classic-only constants).
 * Only #defines: the assembler reads this too. */
#ifndef RVOS_ABI_PARAM_H
#define RVOS_ABI_PARAM_H

#define NPROC 64    /* process slots */
#define NCPU 8      /* harts the kernel drives at most (MAX_HARTS) */
#define NOFILE 16   /* open files per process */
#define NFILE 128   /* open files in the whole system */
#define MAXARG 32   /* exec arguments, argv[0] included, all together at most 4 KiB */
#define MAXPATH 128 /* bytes of a path a system call accepts, NUL included */
#define ROOTDEV 1   /* what stat reports as dev: there is one file system */

#endif
