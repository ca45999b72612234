/* Unpacking the initramfs into the RAM file system at boot. */
#ifndef RVOS_KERNEL_INITRAMFS_H
#define RVOS_KERNEL_INITRAMFS_H
#include <stdint.h>
/* Copies every directory, file, hard link and device node of the cpio
 * "newc" archive at [start, start + size) into the file system. The
 * archive is only read: its memory may be reused (or stay reserved)
 * afterwards. */
void initramfs_unpack(const void *start, uint64_t size);
#endif
