/* rvfs, the host tool for the disk file system: what tools/rvfs.c offers
 * its own main and the host unit test. */
#ifndef RVOS_TOOLS_RVFS_H
#define RVOS_TOOLS_RVFS_H
#include <stdint.h>
#include <stdio.h>
#include "../kernel/fs/rvfs/rvfs_format.h"

/* Writes a fresh file system of bytes (rounded down to whole blocks) to
 * path, holding a copy of the host directory tree if tree is not 0. 0, or
 * -1 with a message on err. */
int rvfs_mkfs(const char *path, uint64_t bytes, const char *tree, FILE *err);
/* Checks the image at path, printing one line per problem to out (and
 * "clean" when there is none). Returns the number of problems, or -1 if
 * the file cannot be read. */
int rvfs_fsck(const char *path, FILE *out);
/* With fix: repairs the image first (fsck -y: see tools/rvfs.c), writes
 * it back, then checks it; the problems left (0: clean), or -1. */
int rvfs_fsck_fix(const char *path, int fix, FILE *out);
/* For tests, on an image in memory (sb its superblock): writes the log
 * superblock saying the first record carries seq, or a checksummed
 * record at position pos of the log's record area: n blocks (data, n *
 * RVFS_BSIZE bytes) that belong at home[0..n-1]. */
void rvfs_log_super_put(uint8_t *image, const struct rvfs_super *sb, uint32_t seq);
void rvfs_log_put(uint8_t *image, const struct rvfs_super *sb, uint32_t pos, uint32_t seq, uint32_t n,
                  const uint32_t *home, const uint8_t *data);
/* For tests: damages the fresh image at path one way (KIND: see
 * tools/rvfs.c). 0, or -1 with a message on err. */
int rvfs_corrupt(const char *path, const char *kind, FILE *err);
/* For tests: leaves RVFS_FRAG_FREE free blocks in each bitmap block's
 * range of a fresh image, the rest owned by files. 0, or -1. */
#define RVFS_FRAG_FREE 3
int rvfs_fragment(const char *path, FILE *err);
#endif
