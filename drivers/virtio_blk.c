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
 * head in the used ring and wakes it. */
#include "virtio_blk.h"
#include "fdt.h"
#include "finisher.h"
#include "plic.h"
#include "../arch/riscv/memlayout.h"
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

static struct vq_page vq __attribute__((aligned(4096)));

static struct {
    struct spinlock lock;
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
} disk;

static uint32_t rd(uint32_t off) { return *(volatile uint32_t *)(disk.regs + off); }
static void wr(uint32_t off, uint32_t v) { *(volatile uint32_t *)(disk.regs + off) = v; }

static void fail(uint64_t base, const char *why)
{
    printk("disk: virtio-mmio at %lx: %s; not used\n", base, why);
    wr(MMIO_STATUS, rd(MMIO_STATUS) | STATUS_FAILED);
    disk.regs = 0;
}

static uint64_t read_capacity(void)
{
    /* 4.2.2: a 64-bit config field is read as two 32-bit halves; the
     * generation counter says whether the device changed it in between. */
    uint32_t gen, lo, hi;
    do {
        gen = rd(MMIO_CONFIG_GENERATION);
        lo = rd(MMIO_CONFIG);
        hi = rd(MMIO_CONFIG + 4);
    } while (gen != rd(MMIO_CONFIG_GENERATION));
    return ((uint64_t)hi << 32) | lo;
}

/* 3.1.1 steps 1-8 for the block device at disk.regs. 0 on success. */
static int setup(uint64_t base)
{
    wr(MMIO_STATUS, 0); /* reset */
    wr(MMIO_STATUS, STATUS_ACKNOWLEDGE);
    wr(MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);

    wr(MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t lo = rd(MMIO_DEVICE_FEATURES);
    wr(MMIO_DEVICE_FEATURES_SEL, 1);
    uint32_t hi = rd(MMIO_DEVICE_FEATURES);
    if (!(hi & (1U << (F_VERSION_1 - 32)))) {
        fail(base, "device does not offer VIRTIO_F_VERSION_1");
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
    wr(MMIO_DRIVER_FEATURES_SEL, 0);
    wr(MMIO_DRIVER_FEATURES, want_lo);
    wr(MMIO_DRIVER_FEATURES_SEL, 1);
    wr(MMIO_DRIVER_FEATURES, 1U << (F_VERSION_1 - 32));
    wr(MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    if (!(rd(MMIO_STATUS) & STATUS_FEATURES_OK)) {
        fail(base, "device refused our features");
        return -1;
    }
    disk.readonly = (want_lo >> F_BLK_RO) & 1;
    disk.flush = (want_lo >> F_BLK_FLUSH) & 1;

    wr(MMIO_QUEUE_SEL, 0);
    if (rd(MMIO_QUEUE_READY)) {
        fail(base, "queue 0 already in use after reset");
        return -1;
    }
    uint32_t max = rd(MMIO_QUEUE_NUM_MAX);
    if (max < 3) {
        fail(base, "queue 0 is missing or shorter than one request (3 descriptors)");
        return -1;
    }
    /* A split queue's size is a power of 2 (2.6). */
    uint32_t n = 1;
    while (n * 2 <= max && n * 2 <= VQ_MAX)
        n *= 2;
    disk.n = n;
    wr(MMIO_QUEUE_NUM, n);
    uint64_t desc = va_to_pa(vq.desc), avail = va_to_pa(&vq.avail), used = va_to_pa(&vq.used);
    wr(MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(MMIO_QUEUE_READY, 1);
    for (uint32_t i = 0; i < n; i++)
        disk.free[i] = 1;
    disk.nfree = n;

    disk.sectors = read_capacity();
    wr(MMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    return 0;
}

/* Looks at one slot: 1 if it became the disk. */
static int probe(const struct platform *pf, int slot)
{
    uint64_t base = pf->virtio[slot].base;
    disk.regs = pa_to_va(base);
    uint32_t magic = rd(MMIO_MAGIC), version = rd(MMIO_VERSION), id = rd(MMIO_DEVICE_ID);
    if (magic != VIRTIO_MAGIC) {
        printk("disk: virtio-mmio at %lx: bad magic %x; ignored\n", base, magic);
        disk.regs = 0;
        return 0;
    }
    if (id == 0 || (version != 1 && version != 2)) { /* empty slot, or nothing we know */
        if (id != 0)
            printk("disk: virtio-mmio at %lx: unknown transport version %u; ignored\n", base, version);
        disk.regs = 0;
        return 0;
    }
    if (id != VIRTIO_ID_BLOCK) {
        printk("disk: virtio-mmio at %lx: device id %u is not a block device; ignored\n", base, id);
        disk.regs = 0;
        return 0;
    }
    if (version == 1) {
        printk("disk: virtio-mmio at %lx: legacy (version 1) block device refused: rvos drives version 2 only "
               "(QEMU: -global virtio-mmio.force-legacy=false)\n",
               base);
        disk.regs = 0;
        return 0;
    }
    if (setup(base) < 0)
        return 0;
    disk.base = base;
    disk.irq = pf->virtio[slot].irq;
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

void virtio_blk_init(const struct platform *pf)
{
    spin_init(&disk.lock, "disk");
    const char *crash = cmdline_get("crash.after");
    for (; crash && *crash >= '0' && *crash <= '9'; crash++)
        crash_after = crash_after * 10 + (uint64_t)(*crash - '0');
    int found = -1;
    for (int i = 0; i < pf->nvirtio; i++) {
        if (found >= 0) {
            /* Leave further slots alone, but say if one holds a second disk. */
            volatile uint8_t *r = pa_to_va(pf->virtio[i].base);
            if (*(volatile uint32_t *)(r + MMIO_MAGIC) == VIRTIO_MAGIC &&
                *(volatile uint32_t *)(r + MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK)
                printk("disk: virtio-mmio at %lx: a second block device; ignored (one disk only)\n",
                       pf->virtio[i].base);
            continue;
        }
        if (probe(pf, i))
            found = i;
    }
    if (found < 0) {
        printk("disk: no disk (%d virtio-mmio slots, no usable block device)\n", pf->nvirtio);
        return;
    }
    if (disk.irq == 0 || (pf->plic_ndev && disk.irq > pf->plic_ndev)) {
        printk("disk: virtio-mmio at %lx: interrupt %u is not a PLIC source; not used\n", disk.base, disk.irq);
        wr(MMIO_STATUS, rd(MMIO_STATUS) | STATUS_FAILED);
        disk.regs = 0;
        return;
    }
    /* Any hart may take the interrupt: the PLIC gives each claim to one. */
    for (int h = 0; h < pf->nharts; h++)
        if (pf->hart_plic_context[h] >= 0)
            plic_enable(disk.irq, pf->hart_plic_context[h]);
    printk("disk: virtio-blk in the virtio-mmio slot at %lx, irq %u, %lu sectors (%lu KiB)%s, queue %u%s\n", disk.base,
           disk.irq, disk.sectors, disk.sectors / 2, disk.readonly ? ", read-only" : "", disk.n,
           disk.flush ? ", write cache" : "");
}

/* Takes k free descriptors; the caller holds disk.lock and has seen
 * nfree >= k. */
static void alloc_desc(uint16_t *d, int k)
{
    int got = 0;
    for (uint32_t i = 0; i < disk.n && got < k; i++)
        if (disk.free[i]) {
            disk.free[i] = 0;
            d[got++] = (uint16_t)i;
        }
    disk.nfree -= (uint32_t)k;
}

static void free_desc(const uint16_t *d, int k)
{
    for (int i = 0; i < k; i++)
        disk.free[d[i]] = 1;
    disk.nfree += (uint32_t)k;
    wakeup(&disk.nfree);
}

/* One request: header, the data if len > 0, status. Sleeps until the
 * device returns it; 0 if its status is OK. */
static int submit(uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
    int k = len ? 3 : 2;
    spin_lock(&disk.lock);
    while (disk.nfree < (uint32_t)k)
        sleep_on(&disk.nfree, &disk.lock);
    uint16_t d[3];
    alloc_desc(d, k);
    struct req *r = &disk.reqs[d[0]];
    r->hdr = (struct blk_req_hdr){.type = type, .sector = sector};
    r->status = 0xff; /* the device overwrites it */
    r->done = 0;
    vq.desc[d[0]] = (struct vq_desc){va_to_pa(&r->hdr), sizeof r->hdr, DESC_F_NEXT, d[1]};
    if (len)
        vq.desc[d[1]] =
            (struct vq_desc){va_to_pa(buf), len, (uint16_t)(DESC_F_NEXT | (type == BLK_T_IN ? DESC_F_WRITE : 0)), d[2]};
    vq.desc[d[k - 1]] = (struct vq_desc){va_to_pa((const void *)&r->status), 1, DESC_F_WRITE, 0};

    /* 2.6.13: the ring entry, then (after a fence) the index, then (after
     * another) the notification. */
    vq.avail.ring[vq.avail.idx % disk.n] = d[0];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    vq.avail.idx++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (++disk.inflight > disk.max_inflight)
        disk.max_inflight = disk.inflight;
    wr(MMIO_QUEUE_NOTIFY, 0);

    while (!r->done)
        sleep_on(r, &disk.lock);
    int ok = r->status == BLK_S_OK;
    disk.inflight--;
    disk.requests++;
    free_desc(d, k);
    spin_unlock(&disk.lock);
    return ok ? 0 : -1;
}

int virtio_blk_rw(uint64_t sector, void *buf, uint32_t len, int write)
{
    if (!disk.regs || len == 0 || len % VIRTIO_BLK_SECTOR)
        return -1;
    uint64_t count = len / VIRTIO_BLK_SECTOR;
    if (sector >= disk.sectors || count > disk.sectors - sector)
        return -1;
    if (write && disk.readonly)
        return -1;
    if (write)
        crash_point();
    return submit(write ? BLK_T_OUT : BLK_T_IN, sector, buf, len);
}

int virtio_blk_flush(void)
{
    if (!disk.regs)
        return -1;
    if (!disk.flush)
        return 0; /* no write cache: every completed write is already durable */
    return submit(BLK_T_FLUSH, 0, 0, 0);
}

int virtio_blk_intr(uint32_t irq)
{
    if (!disk.regs || irq != disk.irq)
        return 0;
    spin_lock(&disk.lock);
    disk.irqs++;
    /* 4.2.3.4: acknowledge what we are about to handle; a completion that
     * lands after the ack raises the interrupt again. */
    wr(MMIO_INTERRUPT_ACK, rd(MMIO_INTERRUPT_STATUS) & 3);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    while (disk.used_seen != *(volatile uint16_t *)&vq.used.idx) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* read the entry after the index */
        uint32_t id = vq.used.ring[disk.used_seen % disk.n].id;
        if (id < disk.n) {
            disk.reqs[id].done = 1;
            wakeup(&disk.reqs[id]);
        }
        disk.used_seen++;
    }
    spin_unlock(&disk.lock);
    return 1;
}

void virtio_blk_info(struct virtio_blk_info *out)
{
    spin_lock(&disk.lock);
    *out = (struct virtio_blk_info){
        .present = disk.regs != 0,
        .readonly = disk.readonly,
        .write_cache = disk.flush,
        .base = disk.base,
        .irq = disk.irq,
        .sectors = disk.sectors,
        .queue_len = disk.n,
        .requests = disk.requests,
        .irqs = disk.irqs,
        .max_inflight = disk.max_inflight,
    };
    spin_unlock(&disk.lock);
}
