/* virtio block driver, virtio-mmio transport version 2.
 *
 * References (Virtual I/O Device (VIRTIO) Version 1.1):
 *   4.2.2   MMIO device register layout
 *   3.1.1   driver requirements: device initialization
 *   4.2.3   MMIO-specific initialization and device operation
 *   2.6     split virtqueues (descriptor table, available ring, used ring)
 *   5.2     block device: feature bits, configuration layout, requests
 *
 * Only the modern transport (Version register = 2) is driven. QEMU gives a
 * legacy (version 1) transport unless it is started with
 * `-global virtio-mmio.force-legacy=false`, which cmake/qemu.cmake always
 * passes; a legacy block device is refused with a boot message.
 *
 * One virtqueue of at most VQ_MAX descriptors. A request is a chain of
 * three: the 16-byte header (device reads), the data (device reads for a
 * write, writes for a read) and the status byte (device writes). The head
 * descriptor's index names the request: its header, status and "done" flag
 * live in reqs[head]. All of it is under disk.lock; a process sleeps on its
 * request (sleep_on releases the lock) until the interrupt handler sees the
 * head in the used ring and wakes it.
 *
 * Up to VIRTIO_BLK_MAX disks, each with its own queue and lock: the one
 * whose serial is "swap" is the swap area (mm/swap.c), the first other
 * one the file system's. */
#include "virtio_blk.h"
#include "fdt.h"
#include "finisher.h"
#include "plic.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/csr.h"
#include "../kernel/string.h"
#include "../kernel/cmdline.h"
#include "../kernel/printk.h"
#include "../kernel/proc.h"
#include "../kernel/spinlock.h"

/* 4.2.2: register offsets. */
#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_DEVICE_FEATURES 0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES 0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_READY 0x044
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_INTERRUPT_STATUS 0x060
#define MMIO_INTERRUPT_ACK 0x064
#define MMIO_STATUS 0x070
#define MMIO_QUEUE_DESC_LOW 0x080
#define MMIO_QUEUE_DESC_HIGH 0x084
#define MMIO_QUEUE_DRIVER_LOW 0x090
#define MMIO_QUEUE_DRIVER_HIGH 0x094
#define MMIO_QUEUE_DEVICE_LOW 0x0a0
#define MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define MMIO_CONFIG_GENERATION 0x0fc
#define MMIO_CONFIG 0x100

#define VIRTIO_MAGIC 0x74726976 /* "virt", little-endian */
#define VIRTIO_ID_BLOCK 2

/* 2.1: device status bits. */
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128

/* Feature bits: 6 (reserved bits 24..), 5.2.3. */
#define F_BLK_RO 5
#define F_BLK_FLUSH 9
#define F_VERSION_1 32

/* 2.6.5: descriptor flags. */
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2 /* the device writes this buffer */

/* 5.2.6: request types and status values. */
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_T_GET_ID 8
#define BLK_S_OK 0

#define VQ_MAX 64 /* cap on QueueNumMax: 21 three-descriptor requests in flight */

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[VQ_MAX];
    uint16_t used_event; /* unused: VIRTIO_F_EVENT_IDX is not negotiated */
};

struct vq_used_elem {
    uint32_t id; /* head of the finished chain */
    uint32_t len;
};

struct vq_used {
    uint16_t flags;
    uint16_t idx;
    struct vq_used_elem ring[VQ_MAX];
    uint16_t avail_event;
};

/* The three parts of the queue in one page: the descriptor table needs
 * 16-byte alignment, the available ring 2, the used ring 4 (2.6). The
 * modern transport takes three addresses, so no legacy layout rules. */
struct vq_page {
    struct vq_desc desc[VQ_MAX];
    struct vq_avail avail;
    struct vq_used used __attribute__((aligned(16)));
};
_Static_assert(sizeof(struct vq_page) <= 4096, "the virtqueue fits one page");

struct blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

struct req {
    struct blk_req_hdr hdr;
    volatile uint8_t status; /* written by the device */
    int done;                /* under disk.lock: the used ring returned it */
};

struct vdisk {
    struct spinlock lock;
    struct vq_page *vq;
    volatile uint8_t *regs; /* 0 when there is no disk */
    uint64_t base;
    uint32_t irq;
    uint64_t sectors;
    int readonly;
    int flush;            /* VIRTIO_BLK_F_FLUSH negotiated: the device may cache writes */
    uint32_t n;           /* queue size */
    uint8_t free[VQ_MAX]; /* 1 = descriptor unused */
    uint32_t nfree;
    uint16_t used_seen; /* used.idx up to which completions were handled */
    struct req reqs[VQ_MAX];
    uint32_t inflight, max_inflight;
    uint64_t requests, irqs;
    char serial[VIRTIO_BLK_SERIAL_MAX + 1]; /* VIRTIO_BLK_T_GET_ID, NUL-terminated ("" if none) */
};

/* Each disk's queue in a page of its own. */
static struct vq_page vqs[VIRTIO_BLK_MAX] __attribute__((aligned(4096)));
static struct vdisk disks[VIRTIO_BLK_MAX];
static int ndisks;

static uint32_t rd(const struct vdisk *d, uint32_t off) { return *(volatile uint32_t *)(d->regs + off); }
static void wr(const struct vdisk *d, uint32_t off, uint32_t v) { *(volatile uint32_t *)(d->regs + off) = v; }

static void fail(struct vdisk *d, uint64_t base, const char *why)
{
    printk("disk: virtio-mmio at %lx: %s; not used\n", base, why);
    wr(d, MMIO_STATUS, rd(d, MMIO_STATUS) | STATUS_FAILED);
    d->regs = 0;
}

static uint64_t read_capacity(const struct vdisk *d)
{
    /* 4.2.2: a 64-bit config field is read as two 32-bit halves; the
     * generation counter says whether the device changed it in between. */
    uint32_t gen, lo, hi;
    do {
        gen = rd(d, MMIO_CONFIG_GENERATION);
        lo = rd(d, MMIO_CONFIG);
        hi = rd(d, MMIO_CONFIG + 4);
    } while (gen != rd(d, MMIO_CONFIG_GENERATION));
    return ((uint64_t)hi << 32) | lo;
}

/* 3.1.1 steps 1-8 for the block device at d->regs. 0 on success. */
static int setup(struct vdisk *d, uint64_t base)
{
    wr(d, MMIO_STATUS, 0); /* reset */
    wr(d, MMIO_STATUS, STATUS_ACKNOWLEDGE);
    wr(d, MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);

    wr(d, MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t lo = rd(d, MMIO_DEVICE_FEATURES);
    wr(d, MMIO_DEVICE_FEATURES_SEL, 1);
    uint32_t hi = rd(d, MMIO_DEVICE_FEATURES);
    if (!(hi & (1U << (F_VERSION_1 - 32)))) {
        fail(d, base, "device does not offer VIRTIO_F_VERSION_1");
        return -1;
    }
    /* Accept VERSION_1 and, if offered, RO (a read-only disk must be known
     * as such) and FLUSH. Nothing else: no indirect descriptors, no event
     * index. FLUSH matters for speed: a device that may not keep a write
     * cache must make every write durable before completing it (5.2.6.2;
     * QEMU then syncs the host file each time, about 3 ms per write here),
     * while with FLUSH completed writes may sit in its cache until a flush
     * request (virtio_blk_flush) or until it is reset. */
    uint32_t want_lo = lo & ((1U << F_BLK_RO) | (1U << F_BLK_FLUSH));
    wr(d, MMIO_DRIVER_FEATURES_SEL, 0);
    wr(d, MMIO_DRIVER_FEATURES, want_lo);
    wr(d, MMIO_DRIVER_FEATURES_SEL, 1);
    wr(d, MMIO_DRIVER_FEATURES, 1U << (F_VERSION_1 - 32));
    wr(d, MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    if (!(rd(d, MMIO_STATUS) & STATUS_FEATURES_OK)) {
        fail(d, base, "device refused our features");
        return -1;
    }
    d->readonly = (want_lo >> F_BLK_RO) & 1;
    d->flush = (want_lo >> F_BLK_FLUSH) & 1;

    wr(d, MMIO_QUEUE_SEL, 0);
    if (rd(d, MMIO_QUEUE_READY)) {
        fail(d, base, "queue 0 already in use after reset");
        return -1;
    }
    uint32_t max = rd(d, MMIO_QUEUE_NUM_MAX);
    if (max < 3) {
        fail(d, base, "queue 0 is missing or shorter than one request (3 descriptors)");
        return -1;
    }
    /* A split queue's size is a power of 2 (2.6). */
    uint32_t n = 1;
    while (n * 2 <= max && n * 2 <= VQ_MAX)
        n *= 2;
    d->n = n;
    wr(d, MMIO_QUEUE_NUM, n);
    uint64_t desc = va_to_pa(d->vq->desc), avail = va_to_pa(&d->vq->avail), used = va_to_pa(&d->vq->used);
    wr(d, MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(d, MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(d, MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(d, MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(d, MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(d, MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(d, MMIO_QUEUE_READY, 1);
    for (uint32_t i = 0; i < n; i++)
        d->free[i] = 1;
    d->nfree = n;

    d->sectors = read_capacity(d);
    wr(d, MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    return 0;
}

/* Looks at one slot: 1 if it became disk d. */
static int probe(struct vdisk *d, const struct platform *pf, int slot)
{
    uint64_t base = pf->virtio[slot].base;
    d->regs = pa_to_va(base);
    uint32_t magic = rd(d, MMIO_MAGIC), version = rd(d, MMIO_VERSION), id = rd(d, MMIO_DEVICE_ID);
    if (magic != VIRTIO_MAGIC) {
        printk("disk: virtio-mmio at %lx: bad magic %x; ignored\n", base, magic);
        d->regs = 0;
        return 0;
    }
    if (id == 0 || (version != 1 && version != 2)) { /* empty slot, or nothing we know */
        if (id != 0)
            printk("disk: virtio-mmio at %lx: unknown transport version %u; ignored\n", base, version);
        d->regs = 0;
        return 0;
    }
    if (id != VIRTIO_ID_BLOCK) {
        printk("disk: virtio-mmio at %lx: device id %u is not a block device; ignored\n", base, id);
        d->regs = 0;
        return 0;
    }
    if (version == 1) {
        printk("disk: virtio-mmio at %lx: legacy (version 1) block device refused: rvos drives version 2 only "
               "(QEMU: -global virtio-mmio.force-legacy=false)\n",
               base);
        d->regs = 0;
        return 0;
    }
    if (setup(d, base) < 0)
        return 0;
    d->base = base;
    d->irq = pf->virtio[slot].irq;
    return 1;
}

/* Crash testing (scripts/crashtest.sh): with `crash.after=N` on the
 * command line, the machine powers off, as a power cut would, when the
 * Nth block write is about to be sent to the device; the N - 1 before it
 * have completed. Exit status CRASH_STATUS tells the script it happened. */
#define CRASH_STATUS 99
static uint64_t crash_after, writes_sent;

static void crash_point(void)
{
    if (crash_after && __atomic_add_fetch(&writes_sent, 1, __ATOMIC_RELAXED) == crash_after) {
        printk("crash.after=%lu: power cut before this write\n", crash_after);
        machine_poweroff(CRASH_STATUS);
    }
}

/* 5.2.6: VIRTIO_BLK_T_GET_ID, sent once at boot with interrupts off:
 * the device's serial string (QEMU: -device virtio-blk-device,serial=...),
 * polled for at most a second. A device that does not answer has none. */
static void read_serial(struct vdisk *d, const struct platform *pf)
{
    static char id[VIRTIO_BLK_SERIAL_MAX] __attribute__((aligned(8)));
    struct req *r = &d->reqs[0];
    r->hdr = (struct blk_req_hdr){.type = BLK_T_GET_ID, .sector = 0};
    r->status = 0xff;
    d->vq->desc[0] = (struct vq_desc){va_to_pa(&r->hdr), sizeof r->hdr, DESC_F_NEXT, 1};
    d->vq->desc[1] = (struct vq_desc){va_to_pa(id), sizeof id, DESC_F_NEXT | DESC_F_WRITE, 2};
    d->vq->desc[2] = (struct vq_desc){va_to_pa((const void *)&r->status), 1, DESC_F_WRITE, 0};
    d->vq->avail.ring[d->vq->avail.idx % d->n] = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    d->vq->avail.idx++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wr(d, MMIO_QUEUE_NOTIFY, 0);
    uint64_t until = rdtime() + pf->timebase_hz;
    while (*(volatile uint16_t *)&d->vq->used.idx == d->used_seen && rdtime() < until)
        ;
    if (*(volatile uint16_t *)&d->vq->used.idx == d->used_seen)
        return; /* no answer: the queue is now stuck, so stop using this disk */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    d->used_seen++;
    wr(d, MMIO_INTERRUPT_ACK, rd(d, MMIO_INTERRUPT_STATUS) & 3);
    if (r->status != BLK_S_OK)
        return;
    for (int i = 0; i < VIRTIO_BLK_SERIAL_MAX && id[i] >= ' ' && id[i] < 127; i++)
        d->serial[i] = id[i];
}

void virtio_blk_init(const struct platform *pf)
{
    const char *crash = cmdline_get("crash.after");
    for (; crash && *crash >= '0' && *crash <= '9'; crash++)
        crash_after = crash_after * 10 + (uint64_t)(*crash - '0');
    for (int i = 0; i < pf->nvirtio; i++) {
        if (ndisks == VIRTIO_BLK_MAX) {
            /* Leave further slots alone, but say if one holds a disk. */
            volatile uint8_t *r = pa_to_va(pf->virtio[i].base);
            if (*(volatile uint32_t *)(r + MMIO_MAGIC) == VIRTIO_MAGIC &&
                *(volatile uint32_t *)(r + MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK)
                printk("disk: virtio-mmio at %lx: a block device more; ignored (%d disks at most)\n",
                       pf->virtio[i].base, VIRTIO_BLK_MAX);
            continue;
        }
        struct vdisk *d = &disks[ndisks];
        spin_init(&d->lock, "disk");
        d->vq = &vqs[ndisks];
        if (!probe(d, pf, i))
            continue;
        if (d->irq == 0 || (pf->plic_ndev && d->irq > pf->plic_ndev)) {
            printk("disk: virtio-mmio at %lx: interrupt %u is not a PLIC source; not used\n", d->base, d->irq);
            wr(d, MMIO_STATUS, rd(d, MMIO_STATUS) | STATUS_FAILED);
            d->regs = 0;
            continue;
        }
        read_serial(d, pf);
        /* Any hart may take the interrupt: the PLIC gives each claim to one. */
        for (int h = 0; h < pf->nharts; h++)
            if (pf->hart_plic_context[h] >= 0)
                plic_enable(d->irq, pf->hart_plic_context[h]);
        printk("disk: virtio-blk in the virtio-mmio slot at %lx, irq %u, %lu sectors (%lu KiB)%s, queue %u%s%s%s\n",
               d->base, d->irq, d->sectors, d->sectors / 2, d->readonly ? ", read-only" : "", d->n,
               d->flush ? ", write cache" : "", d->serial[0] ? ", serial " : "", d->serial);
        ndisks++;
    }
    if (ndisks == 0)
        printk("disk: no disk (%d virtio-mmio slots, no usable block device)\n", pf->nvirtio);
}

/* Takes k free descriptors; the caller holds d->lock and has seen
 * nfree >= k. */
static void alloc_desc(struct vdisk *d, uint16_t *desc, int k)
{
    int got = 0;
    for (uint32_t i = 0; i < d->n && got < k; i++)
        if (d->free[i]) {
            d->free[i] = 0;
            desc[got++] = (uint16_t)i;
        }
    d->nfree -= (uint32_t)k;
}

static void free_desc(struct vdisk *d, const uint16_t *desc, int k)
{
    for (int i = 0; i < k; i++)
        d->free[desc[i]] = 1;
    d->nfree += (uint32_t)k;
    wakeup(&d->nfree);
}

/* One request: header, the data if len > 0, status. Sleeps until the
 * device returns it; 0 if its status is OK. */
static int submit(struct vdisk *d, uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
    int k = len ? 3 : 2;
    spin_lock(&d->lock);
    while (d->nfree < (uint32_t)k)
        sleep_on(&d->nfree, &d->lock);
    uint16_t desc[3];
    alloc_desc(d, desc, k);
    struct req *r = &d->reqs[desc[0]];
    r->hdr = (struct blk_req_hdr){.type = type, .sector = sector};
    r->status = 0xff; /* the device overwrites it */
    r->done = 0;
    d->vq->desc[desc[0]] = (struct vq_desc){va_to_pa(&r->hdr), sizeof r->hdr, DESC_F_NEXT, desc[1]};
    if (len)
        d->vq->desc[desc[1]] = (struct vq_desc){
            va_to_pa(buf), len, (uint16_t)(DESC_F_NEXT | (type == BLK_T_IN ? DESC_F_WRITE : 0)), desc[2]};
    d->vq->desc[desc[k - 1]] = (struct vq_desc){va_to_pa((const void *)&r->status), 1, DESC_F_WRITE, 0};

    /* 2.6.13: the ring entry, then (after a fence) the index, then (after
     * another) the notification. */
    d->vq->avail.ring[d->vq->avail.idx % d->n] = desc[0];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    d->vq->avail.idx++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (++d->inflight > d->max_inflight)
        d->max_inflight = d->inflight;
    wr(d, MMIO_QUEUE_NOTIFY, 0);

    while (!r->done)
        sleep_on(r, &d->lock);
    int ok = r->status == BLK_S_OK;
    d->inflight--;
    d->requests++;
    free_desc(d, desc, k);
    spin_unlock(&d->lock);
    return ok ? 0 : -1;
}

/* The disk of a role: the swap disk is the one whose serial is "swap";
 * the file system's is the first other one. 0 if there is none. */
static struct vdisk *disk_of(int swap)
{
    for (int i = 0; i < ndisks; i++)
        if (disks[i].regs && !strcmp(disks[i].serial, VIRTIO_BLK_SWAP_SERIAL) == !!swap)
            return &disks[i];
    return 0;
}

static int disk_rw(struct vdisk *d, uint64_t sector, void *buf, uint32_t len, int write)
{
    if (!d || len == 0 || len % VIRTIO_BLK_SECTOR)
        return -1;
    uint64_t count = len / VIRTIO_BLK_SECTOR;
    if (sector >= d->sectors || count > d->sectors - sector)
        return -1;
    if (write && d->readonly)
        return -1;
    if (write)
        crash_point();
    return submit(d, write ? BLK_T_OUT : BLK_T_IN, sector, buf, len);
}

int virtio_blk_rw(uint64_t sector, void *buf, uint32_t len, int write)
{
    return disk_rw(disk_of(0), sector, buf, len, write);
}

int virtio_blk_swap_rw(uint64_t sector, void *buf, uint32_t len, int write)
{
    return disk_rw(disk_of(1), sector, buf, len, write);
}

int virtio_blk_flush(void)
{
    struct vdisk *d = disk_of(0);
    if (!d)
        return -1;
    if (!d->flush)
        return 0; /* no write cache: every completed write is already durable */
    return submit(d, BLK_T_FLUSH, 0, 0, 0);
}

int virtio_blk_intr(uint32_t irq)
{
    struct vdisk *d = 0;
    for (int i = 0; i < ndisks && !d; i++)
        if (disks[i].regs && disks[i].irq == irq)
            d = &disks[i];
    if (!d)
        return 0;
    spin_lock(&d->lock);
    d->irqs++;
    /* 4.2.3.4: acknowledge what we are about to handle; a completion that
     * lands after the ack raises the interrupt again. */
    wr(d, MMIO_INTERRUPT_ACK, rd(d, MMIO_INTERRUPT_STATUS) & 3);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    while (d->used_seen != *(volatile uint16_t *)&d->vq->used.idx) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* read the entry after the index */
        uint32_t id = d->vq->used.ring[d->used_seen % d->n].id;
        if (id < d->n) {
            d->reqs[id].done = 1;
            wakeup(&d->reqs[id]);
        }
        d->used_seen++;
    }
    spin_unlock(&d->lock);
    return 1;
}

static void disk_info(struct vdisk *d, struct virtio_blk_info *out)
{
    *out = (struct virtio_blk_info){0};
    if (!d)
        return;
    spin_lock(&d->lock);
    *out = (struct virtio_blk_info){
        .present = d->regs != 0,
        .readonly = d->readonly,
        .write_cache = d->flush,
        .base = d->base,
        .irq = d->irq,
        .sectors = d->sectors,
        .queue_len = d->n,
        .requests = d->requests,
        .irqs = d->irqs,
        .max_inflight = d->max_inflight,
    };
    spin_unlock(&d->lock);
}

void virtio_blk_info(struct virtio_blk_info *out) { disk_info(disk_of(0), out); }
void virtio_blk_swap_info(struct virtio_blk_info *out) { disk_info(disk_of(1), out); }
