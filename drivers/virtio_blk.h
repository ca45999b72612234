/* virtio block device over the virtio-mmio transport, version 2 (virtio
 * 1.x "modern" only): one split virtqueue, interrupt driven, several
 * requests in flight. See docs/architecture.md, "Disk". */
#ifndef RVOS_DRIVERS_VIRTIO_BLK_H
#define RVOS_DRIVERS_VIRTIO_BLK_H
#include <stdint.h>

#define VIRTIO_BLK_SECTOR 512
#define VIRTIO_BLK_MAX 2              /* disks driven: the file system's and the swap area */
#define VIRTIO_BLK_SERIAL_MAX 20      /* 5.2.6: the GET_ID string, not always NUL-terminated */
#define VIRTIO_BLK_SWAP_SERIAL "swap" /* QEMU: -device virtio-blk-device,drive=...,serial=swap */

struct platform;

/* Probes every virtio-mmio slot of the device tree, takes the first
 * VIRTIO_BLK_MAX block devices, reads each one's serial, routes their
 * interrupts to every hart's PLIC context and prints a line for each
 * ("no disk" if none). The disk whose serial is VIRTIO_BLK_SWAP_SERIAL is
 * the swap area; the first other one is "the disk", the file system's. Call on the boot hart,
 * after plic_init and before the other harts start. Never panics: a device
 * it cannot drive is reported and left alone. */
void virtio_blk_init(const struct platform *pf);

/* 1 if irq is the disk's (the caller completes it at the PLIC), else 0. */
int virtio_blk_intr(uint32_t irq);

/* Reads or writes len bytes (a multiple of 512) at sector, to or from buf,
 * a kernel address in the direct map (physically contiguous). The calling
 * process sleeps until the device is done. Returns 0, or -1 if there is no
 * disk, the range is outside it, a write meets a read-only disk or the
 * device reports an error. Only processes may call it (it sleeps). */
int virtio_blk_rw(uint64_t sector, void *buf, uint32_t len, int write);

/* Makes every completed write durable (a FLUSH request when the device
 * keeps a write cache; nothing to do otherwise). 0, or -1. */
int virtio_blk_flush(void);

struct virtio_blk_info {
    int present;
    int readonly;
    int write_cache;    /* VIRTIO_BLK_F_FLUSH negotiated */
    uint64_t base;      /* physical address of its virtio-mmio slot */
    uint32_t irq;       /* its PLIC interrupt */
    uint64_t sectors;   /* capacity in 512-byte sectors */
    uint32_t queue_len; /* descriptors in the virtqueue */
    uint64_t requests;  /* completed requests */
    uint64_t irqs;      /* interrupts that were the disk's */
    uint32_t max_inflight;
};
void virtio_blk_info(struct virtio_blk_info *out);

/* The same two for the swap disk (mm/swap.c): raw sectors, no cache. */
int virtio_blk_swap_rw(uint64_t sector, void *buf, uint32_t len, int write);
void virtio_blk_swap_info(struct virtio_blk_info *out);
#endif
