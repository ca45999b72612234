/* The disk system call (number 60, SYS_disk): the block device under the
 * buffer cache, for diskstat, the disk tests and the disk benchmark.
 * Shared by the kernel and user programs.
 *
 *   int disk(DISK_STAT, 0, struct diskstat *st)   counters; anyone may ask
 *   int disk(DISK_READ, block, char buf[DISK_BSIZE])    one block, through
 *   int disk(DISK_WRITE, block, const char buf[DISK_BSIZE]) the cache
 *   int disk(DISK_SYNC, 0, 0)       every completed write made durable
 *
 * DISK_WRITE writes through the cache to the device, which may keep it in
 * its own write cache (QEMU: the host's page cache, which survives QEMU
 * exiting) until DISK_SYNC. DISK_READ, DISK_WRITE and DISK_SYNC bypass
 * any file system, so, like mmfail and poweroff, only init may use them unless the kernel was booted with
 * `testmode`. All return 0, or -1 on any error: no disk, a block number
 * at or past the end, a bad pointer, a device error. */
#ifndef RVOS_ABI_DISK_H
#define RVOS_ABI_DISK_H

#define DISK_BSIZE 1024 /* the buffer cache's block: two 512-byte sectors */

#define DISK_STAT 0
#define DISK_READ 1
#define DISK_WRITE 2
#define DISK_SYNC 3

struct diskstat {
    unsigned long present;      /* 1 if a disk was found at boot */
    unsigned long readonly;     /* the device offered VIRTIO_BLK_F_RO */
    unsigned long base;         /* physical address of its virtio-mmio slot */
    unsigned long irq;          /* its PLIC interrupt */
    unsigned long blocks;       /* capacity in DISK_BSIZE blocks */
    unsigned long block_size;   /* DISK_BSIZE */
    unsigned long nbuf;         /* buffers in the cache */
    unsigned long hits;         /* bread found the block cached */
    unsigned long misses;       /* bread had to read it from the disk */
    unsigned long reads;        /* block reads sent to the device */
    unsigned long writes;       /* block writes sent to the device */
    unsigned long errors;       /* requests the device failed */
    unsigned long requests;     /* device requests completed (driver) */
    unsigned long irqs;         /* disk interrupts handled */
    unsigned long max_inflight; /* most requests in the queue at once */
    unsigned long queue_len;    /* virtqueue descriptors */
    unsigned long write_cache;  /* the device caches writes until DISK_SYNC */
    unsigned long syncs;        /* flushes sent to the device (DISK_SYNC calls and the file system's) */
    /* The disk file system mounted at /disk (all 0 if none): */
    unsigned long fs_free;        /* free data blocks */
    unsigned long fs_commits;     /* log transactions committed */
    unsigned long fs_logged;      /* blocks those transactions logged */
    unsigned long fs_readonly;    /* 1 once it takes no changes (read-only device, or a disk error) */
    unsigned long fs_call_max;    /* the most log blocks one call (or write slice) added */
    unsigned long fs_checkpoints; /* times the log was wrapped (a flush and its superblock) */
};
#endif
