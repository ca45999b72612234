/* Flattened device tree (devicetree specification v0.4, chapter 5) parser.
 *
 * fdt_parse() walks the blob once and fills a struct platform with what the
 * kernel needs to know about the machine. It depends on nothing but the
 * blob, so tests/host compiles it for the host and feeds it fixtures. */
#ifndef RVOS_DRIVERS_FDT_H
#define RVOS_DRIVERS_FDT_H
#include <stdint.h>

#define FDT_MAX_RANGES 16
#define FDT_MAX_HARTS 8
#define FDT_BOOTARGS_MAX 1024
#define FDT_MAX_VIRTIO 16 /* QEMU virt has 8 virtio-mmio slots */

struct mem_range {
    uint64_t base;
    uint64_t size;
};

struct platform {
    struct mem_range memory[FDT_MAX_RANGES];
    int nmemory;
    struct mem_range reserved[FDT_MAX_RANGES]; /* /reserved-memory and the header's map */
    int nreserved;

    int nharts;
    uint32_t hartid[FDT_MAX_HARTS];       /* reg of each enabled cpu node */
    uint32_t hart_intc[FDT_MAX_HARTS];    /* phandle of its interrupt controller */
    int hart_plic_context[FDT_MAX_HARTS]; /* PLIC context for S-mode external irqs, -1 if none */
    uint8_t hart_sstc[FDT_MAX_HARTS];     /* its riscv,isa names the Sstc extension */
    uint64_t timebase_hz;

    uint64_t uart_base;
    uint32_t uart_irq;
    uint64_t plic_base;
    uint64_t plic_size;
    uint32_t plic_ndev;
    uint64_t finisher_base; /* sifive,test0 */

    /* Every "virtio,mmio" node, in device-tree order: a slot may be empty
     * (device id 0); drivers/virtio_blk.c probes them. */
    struct virtio_slot {
        uint64_t base;
        uint64_t size;
        uint32_t irq;
    } virtio[FDT_MAX_VIRTIO];
    int nvirtio;

    uint64_t initrd_start;
    uint64_t initrd_end;
    char bootargs[FDT_BOOTARGS_MAX];
    int bootargs_cut; /* /chosen bootargs was longer than FDT_BOOTARGS_MAX - 1 bytes */
    uint32_t blob_size;
};

#define FDT_OK 0
#define FDT_ERR_MAGIC -1
#define FDT_ERR_VERSION -2
#define FDT_ERR_TRUNCATED -3
#define FDT_ERR_STRUCTURE -4

/* Parses the blob at `blob`, whose size must not exceed `limit` bytes.
 * Returns FDT_OK or a negative FDT_ERR_* code. */
int fdt_parse(const void *blob, uint64_t limit, struct platform *out);
/* The total size field of a blob's header (0 if the magic is wrong). */
uint32_t fdt_total_size(const void *blob);
const char *fdt_strerror(int err);
#endif
