/* The swap area (mm/swap.h): a map of slot counts over the swap disk.
 *
 * Why a second disk and not a partition of the file system's: swap
 * content is volatile (it means nothing after a reboot), so it must never
 * share a device with data that must survive a power cut, whose log and
 * checksums it would only complicate; a disk of its own also makes its
 * size a QEMU option, and a machine without it simply runs without swap.
 * The disk is recognised by its serial ("swap"), not by its slot. */
#include "swap.h"
#include "page.h"
#include "../arch/riscv/memlayout.h"
#include "../drivers/virtio_blk.h"
#include "../kernel/panic.h"
#include "../kernel/printk.h"
#include "../kernel/sleeplock.h"
#include "../kernel/spinlock.h"

/* 2 bytes a slot: the count (15 bits) and a "lost" bit for a slot whose
 * write failed. The map is a list of frames (2,048 slots each), so that
 * it needs no contiguous memory: 64 of them cover 512 MiB of swap. */
#define SLOTS_PER_FRAME (PAGE_SIZE / sizeof(uint16_t))
#define MAP_FRAMES 64
#define SLOT_BAD 0x8000
#define SLOT_COUNT 0x7fff

static struct {
    struct spinlock lock;
    struct sleeplock io;
    uint16_t *map[MAP_FRAMES];
    uint16_t *seen[MAP_FRAMES]; /* the audit's scratch: swap PTEs found per slot */
    uint64_t nslots, used, cursor;
} swap = {.lock = {0, "swap", 0}};

static uint64_t holds; /* temporary references (swap_hold), for the audit */

static uint16_t *slot_word(uint64_t slot) { return &swap.map[slot / SLOTS_PER_FRAME][slot % SLOTS_PER_FRAME]; }
static uint16_t *seen_word(uint64_t slot) { return &swap.seen[slot / SLOTS_PER_FRAME][slot % SLOTS_PER_FRAME]; }

int swap_init(void)
{
    sleeplock_init(&swap.io, "swap_io");
    struct virtio_blk_info di;
    virtio_blk_swap_info(&di);
    if (!di.present)
        return -1;
    if (di.readonly) {
        printk("swap: the swap disk is read-only; no swap\n");
        return -1;
    }
    uint64_t n = di.sectors / (PAGE_SIZE / VIRTIO_BLK_SECTOR);
    if (n > MAP_FRAMES * SLOTS_PER_FRAME) {
        printk("swap: %lu MiB of swap disk, only the first %lu MiB used\n", n / 256,
               (uint64_t)MAP_FRAMES * SLOTS_PER_FRAME / 256);
        n = MAP_FRAMES * SLOTS_PER_FRAME;
    }
    for (uint64_t f = 0; f * SLOTS_PER_FRAME < n; f++) {
        struct page *a = page_alloc(PAGE_ZERO), *b = page_alloc(PAGE_ZERO);
        if (!a || !b) {
            printk("swap: no memory for the slot map; no swap\n");
            return -1;
        }
        a->flags |= PG_KERNEL;
        b->flags |= PG_KERNEL;
        swap.map[f] = page_va(a);
        swap.seen[f] = page_va(b);
    }
    swap.nslots = n;
    printk("swap: %lu slots (%lu KiB) on the swap disk\n", n, n * (PAGE_SIZE / 1024));
    return 0;
}

int swap_present(void) { return swap.nslots != 0; }
uint64_t swap_slots_total(void) { return swap.nslots; }
uint64_t swap_slots_used(void) { return __atomic_load_n(&swap.used, __ATOMIC_RELAXED); }

uint64_t swap_slot_new(void)
{
    uint64_t slot = SWAP_NONE;
    spin_lock(&swap.lock);
    for (uint64_t i = 0; i < swap.nslots && swap.used < swap.nslots; i++) {
        uint64_t s = (swap.cursor + i) % swap.nslots;
        if (*slot_word(s) == 0) {
            *slot_word(s) = 1;
            /* the caller's: a hold until a PTE names the slot. Atomic:
             * swap_unhold drops holds without the lock. */
            __atomic_fetch_add(&holds, 1, __ATOMIC_RELAXED);
            swap.used++;
            swap.cursor = s + 1;
            slot = s;
            break;
        }
    }
    spin_unlock(&swap.lock);
    return slot;
}

void swap_dup(uint64_t slot)
{
    spin_lock(&swap.lock);
    uint16_t *w = slot_word(slot);
    if ((*w & SLOT_COUNT) == 0 || (*w & SLOT_COUNT) == SLOT_COUNT)
        panic("swap_dup: slot %lu count %u", slot, *w & SLOT_COUNT);
    (*w)++;
    spin_unlock(&swap.lock);
}

void swap_put(uint64_t slot)
{
    spin_lock(&swap.lock);
    uint16_t *w = slot_word(slot);
    if ((*w & SLOT_COUNT) == 0)
        panic("swap_put: slot %lu is free", slot);
    if (--*w == SLOT_BAD)
        *w = 0;
    if (*w == 0)
        swap.used--;
    spin_unlock(&swap.lock);
}

void swap_hold(uint64_t slot)
{
    swap_dup(slot);
    __atomic_fetch_add(&holds, 1, __ATOMIC_RELAXED);
}

void swap_unhold(uint64_t slot)
{
    __atomic_fetch_sub(&holds, 1, __ATOMIC_RELAXED);
    swap_put(slot);
}

uint64_t swap_holds(void) { return __atomic_load_n(&holds, __ATOMIC_RELAXED); }

uint32_t swap_count(uint64_t slot) { return *slot_word(slot) & SLOT_COUNT; }

void swap_audit_begin(void)
{
    for (uint64_t s = 0; s < swap.nslots; s++)
        *seen_word(s) = 0;
}

int swap_audit_note(uint64_t slot)
{
    if (slot >= swap.nslots || swap_count(slot) == 0)
        return -1;
    (*seen_word(slot))++;
    return 0;
}

uint64_t swap_audit_end(uint64_t *bad_slot)
{
    uint64_t extra = 0;
    *bad_slot = SWAP_NONE;
    spin_lock(&swap.lock);
    for (uint64_t s = 0; s < swap.nslots; s++) {
        uint32_t c = *slot_word(s) & SLOT_COUNT, n = *seen_word(s);
        if (n > c && *bad_slot == SWAP_NONE)
            *bad_slot = s;
        else
            extra += c - n;
    }
    spin_unlock(&swap.lock);
    return extra;
}
int swap_slot_bad(uint64_t slot) { return (*slot_word(slot) & SLOT_BAD) != 0; }

void swap_io_begin(void) { sleep_lock(&swap.io); }
void swap_io_end(void) { sleep_unlock(&swap.io); }

static uint64_t slot_sector(uint64_t slot) { return slot * (PAGE_SIZE / VIRTIO_BLK_SECTOR); }

int swap_write_locked(uint64_t slot, const void *page)
{
    if (virtio_blk_swap_rw(slot_sector(slot), (void *)page, PAGE_SIZE, 1) == 0)
        return 0;
    printk_limited("swap: write of slot %lu failed: the page in it is lost\n", slot);
    spin_lock(&swap.lock);
    *slot_word(slot) |= SLOT_BAD;
    spin_unlock(&swap.lock);
    return -1;
}

int swap_read(uint64_t slot, void *page)
{
    sleep_lock(&swap.io);
    int r = swap_slot_bad(slot) ? -1 : virtio_blk_swap_rw(slot_sector(slot), page, PAGE_SIZE, 0);
    sleep_unlock(&swap.io);
    if (r < 0)
        printk_limited("swap: read of slot %lu failed\n", slot);
    return r;
}
