/* Boot-path self-tests. They check what user programs cannot see: that
 * the device tree was read right, that the allocator never owns a reserved
 * byte, that every hart is up and taking timer interrupts. */
#include "selftest.h"
#include "cpu.h"
#include "platform.h"
#include "printk.h"
#include "proc.h"
#include "string.h"
#include "../arch/riscv/csr.h"
#include "../drivers/finisher.h"
#include "../mm/aspace.h"
#include "../mm/audit.h"
#include "../mm/kmap.h"
#include "../mm/page.h"
#include "../mm/vm.h"

static int failures;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            printk("selftest: FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                           \
            printk(__VA_ARGS__);                                                                                       \
            printk("\n");                                                                                              \
            failures++;                                                                                                \
        }                                                                                                              \
    } while (0)

extern char _kernel_start[], _kernel_end[];

static void test_dt(void)
{
    CHECK(platform.nmemory >= 1, "no memory node");
    CHECK(platform.memory[0].size >= (64UL << 20), "memory size %lu", platform.memory[0].size);
    CHECK(platform.nharts == 4, "%d harts (QEMU runs with -smp 4)", platform.nharts);
    for (int i = 0; i < platform.nharts; i++)
        CHECK(platform.hart_plic_context[i] >= 0, "hart %u has no PLIC S-mode context", platform.hartid[i]);
    CHECK(platform.uart_base != 0 && platform.uart_irq != 0, "uart %lx irq %u", platform.uart_base, platform.uart_irq);
    CHECK(platform.plic_base != 0 && platform.plic_size != 0, "plic %lx", platform.plic_base);
    CHECK(platform.finisher_base != 0, "no sifive,test0");
    CHECK(platform.timebase_hz != 0, "no timebase-frequency");
    CHECK(platform.nreserved >= 1, "OpenSBI reserves its own memory; none found");
    CHECK(strcmp(platform.bootargs, "") != 0, "no bootargs");
    printk("selftest dt: %d memory range(s), %d reserved, %d harts, uart %lx irq %u, plic %lx, timebase %lu Hz\n",
           platform.nmemory, platform.nreserved, platform.nharts, platform.uart_base, platform.uart_irq,
           platform.plic_base, platform.timebase_hz);
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) { return a < b + blen && b < a + alen; }

static void test_memmap(void)
{
    uint64_t img = va_to_pa(_kernel_start), img_len = (uint64_t)(_kernel_end - _kernel_start);
    uint64_t managed = 0, bad = 0;
    for (uint64_t i = 0; i < page_db_nframes; i++) {
        if (page_db[i].flags & PG_RESERVED)
            continue;
        uint64_t pa = page_to_pa(&page_db[i]);
        managed++;
        int hit = overlaps(pa, PAGE_SIZE, img, img_len);
        for (int r = 0; r < platform.nreserved; r++)
            hit |= overlaps(pa, PAGE_SIZE, platform.reserved[r].base, platform.reserved[r].size);
        if (hit && bad++ == 0)
            CHECK(0, "frame %lx is managed but reserved", pa);
    }
    CHECK(bad == 0, "%lu reserved frames managed", bad);
    CHECK(managed == page_usable_count(), "managed %lu, usable %lu", managed, page_usable_count());
    CHECK(page_free_count() > 0 && page_free_count() <= managed, "free %lu", page_free_count());
    /* The allocator hands out frames outside every reserved range, zeroed. */
    struct page *pg = page_alloc(PAGE_ZERO);
    CHECK(pg != 0, "page_alloc failed");
    if (pg) {
        uint64_t *w = page_va(pg);
        int zero = 1;
        for (int i = 0; i < 512; i++)
            zero &= w[i] == 0;
        CHECK(zero, "page not zeroed");
        uint64_t before = page_free_count();
        page_put(pg);
        CHECK(page_free_count() == before + 1, "page_put did not free");
    }
    printk("selftest memmap: %lu frames managed, none reserved; kernel image %lx-%lx excluded\n", managed, img,
           img + img_len);
}

static void test_harts(void)
{
    uint64_t start[MAX_HARTS];
    for (int i = 0; i < ncpu; i++)
        start[i] = cpus[i].ticks;
    int online = harts_online();
    CHECK(online == 4, "%d harts online", online);
    /* Every hart must keep taking timer interrupts. How many arrive in a
     * given time depends on how busy the host is, so wait (with no
     * deadline: a hart that never ticks is a hang the harness catches)
     * until each has taken a few, rather than count them over a period. */
    intr_on();
    uint64_t t0 = rdtime();
    for (int i = 0; i < ncpu; i++)
        while (cpus[i].ticks - start[i] < 3)
            ;
    intr_off();
    uint64_t ms = (rdtime() - t0) * 1000 / platform.timebase_hz;
    for (int i = 0; i < ncpu; i++)
        printk("selftest harts: hart %u online, %lu timer ticks (%lu ms)\n", cpus[i].hartid, cpus[i].ticks - start[i],
               ms);
}

/* In .bss on purpose: what a second pass through _start would clear. */
static uint64_t bss_canary;
#define CANARY 0x5eed5eed5eed5eedUL

uint64_t selftest_reentry_prepare(uint64_t cold)
{
    bss_canary = CANARY;
    return cold;
}

/* A hart that entered _start a second time must come up as a secondary
 * and leave the kernel's state alone. */
static void test_reentry(void)
{
    int online;
    while ((online = harts_online()) < ncpu) /* no deadline: a hart that never comes is a hang the harness catches */
        ;
    CHECK(bss_canary == CANARY, ".bss was cleared under the running kernel (canary %lx)", bss_canary);
    CHECK(page_free_count() > 0 && kernel_root != 0, "allocator or kernel page table lost");
    printk("selftest reentry: hart %u entered at _start and came up as a secondary; %d harts online\n",
           cpus[ncpu - 1].hartid, online);
}

static void test_uart(void) { printk("selftest uart: the quick brown fox jumps over the lazy dog\n"); }

/* The audit must notice a refcount that disagrees with the mappings. */
static void test_audit(void)
{
    struct aspace *as = aspace_create();
    CHECK(as != 0, "aspace_create");
    if (!as)
        return;
    struct region data = {.start = 0x10000, .end = 0x14000, .prot = PROT_R | PROT_W, .kind = REGION_DATA};
    CHECK(aspace_reserve(as, &data) == 0 && vm_populate(as, data.start, data.end) == 0, "map");
    CHECK(mm_audit() == 0, "audit of a fresh address space");
    pte_t *pte = sv39_walk(as->root, 0x11000, 0);
    struct page *pg = pa_to_page(pte_to_pa(*pte));
    page_get(pg); /* a reference nobody owns */
    printk("selftest audit: one refcount raised on purpose; the audit should report it:\n");
    CHECK(mm_audit() == 1, "audit missed an extra reference");
    page_put(pg);
    *pte |= PTE_COW; /* COW together with W is forbidden */
    CHECK(mm_audit() == 1, "audit missed a PTE with both COW and W");
    *pte &= ~PTE_COW;
    CHECK(mm_audit() == 0, "audit after repair");
    uint64_t before = page_free_count();
    aspace_destroy(as);
    /* 4 pages, 3 page tables, and the frame its one region came from */
    CHECK(page_free_count() == before + 4 + 3 + 1, "destroy freed %lu frames", page_free_count() - before);
}

/* Every kernel stack has an unmapped guard page below it, and running
 * off the end of one is a clean panic, not a write into the next. The
 * process slots' stacks take frames only while a process holds the slot
 * (mm/kmap.c): none does yet. */
extern char _stacks_start[], _stacks_end[];

static int slot_mapped(uint64_t slot, int *guard_mapped)
{
    int pages = 0;
    pte_t *guard = sv39_walk(kernel_root, slot, 0);
    *guard_mapped = guard && (*guard & PTE_V);
    for (uint64_t va = slot + PAGE_SIZE; va < slot + KSTACK_SLOT; va += PAGE_SIZE) {
        pte_t *e = sv39_walk(kernel_root, va, 0);
        pages += e && (*e & PTE_V) && (*e & PTE_W);
    }
    return pages;
}

static __attribute__((noinline)) int recurse(int depth)
{
    volatile char frame[256];
    frame[0] = (char)depth;
    if (depth == 1 << 20) /* 256 MiB of frames: far past any stack */
        return 0;
    return recurse(depth + 1) + frame[0];
}

static void test_stack(void)
{
    int slots = 0, guard;
    for (uint64_t va = (uint64_t)_stacks_start; va < (uint64_t)_stacks_end; va += KSTACK_SLOT, slots++) {
        CHECK(slot_mapped(va, &guard) == KSTACK_SIZE / PAGE_SIZE, "stack %lx is not mapped writable", va + PAGE_SIZE);
        CHECK(!guard, "guard page %lx is mapped", va);
    }
    CHECK(slots == MAX_HARTS, "%d boot stack slots", slots);
    for (int i = 0; i < NPROC; i++) {
        uint64_t slot = KSTACK_BASE + (uint64_t)i * KSTACK_SLOT;
        CHECK(slot_mapped(slot, &guard) == 0 && !guard, "process slot %d is mapped with no process", i);
    }
    uint64_t before = page_free_count(), slot = KSTACK_BASE + (NPROC - 1) * KSTACK_SLOT;
    CHECK(kmap_stack(slot) == 0, "kmap_stack");
    CHECK(slot_mapped(slot, &guard) == KSTACK_SIZE / PAGE_SIZE && !guard, "a mapped process slot");
    CHECK(page_free_count() + KSTACK_SIZE / PAGE_SIZE == before, "a stack took %lu frames", before - page_free_count());
    ((volatile char *)slot)[KSTACK_SLOT - 1] = 1; /* its top is writable */
    kunmap_stack(slot);
    CHECK(slot_mapped(slot, &guard) == 0 && !guard, "an unmapped process slot");
    CHECK(page_free_count() == before, "unmapping a stack gave back %lu of its frames",
          page_free_count() + KSTACK_SIZE / PAGE_SIZE - before);
    if (failures)
        return;
    printk("selftest stack: %d boot and %d process stacks have guard pages; overflowing this one, expect a panic\n",
           slots, NPROC);
    printk("%d\n", recurse(0));
    failures++;
}

/* Debug kernels poison freed frames and catch a write to one at its next
 * allocation. The free list is last-in first-out, so the frame freed
 * here is the next one handed out. */
static void test_poison(void)
{
#ifdef RVOS_DEBUG
    struct page *pg = page_alloc(PAGE_ZERO);
    CHECK(pg != 0, "page_alloc");
    if (!pg)
        return;
    uint64_t *stale = page_va(pg);
    page_put(pg);
    CHECK(stale[0] == stale[511] && stale[0] != 0, "freed frame not poisoned (%lx)", stale[0]);
    printk("selftest poison: writing to a freed frame; expect a panic at the next allocation\n");
    stale[100] = 42; /* a use after free */
    page_alloc(0);
    printk("selftest poison: the write went unnoticed\n");
#else
    printk("selftest poison: only debug kernels (RVOS_DEBUG) poison freed frames\n");
#endif
    failures++;
}

static void test_fault(void)
{
    printk("selftest fault: storing to an unmapped kernel address; expect a panic\n");
    *(volatile uint64_t *)0x1000 = 42; /* user half, not mapped in the kernel table */
    printk("selftest fault: the store did not fault\n");
    failures++;
}

void selftest_run(const char *name)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {{"dt", test_dt},           {"memmap", test_memmap}, {"harts", test_harts},
                 {"uart", test_uart},       {"audit", test_audit},   {"fault", test_fault},
                 {"reentry", test_reentry}, {"stack", test_stack},   {"poison", test_poison}};
    int found = 0;
    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (strcmp(name, tests[i].name) == 0) {
            tests[i].fn();
            found = 1;
        }
    if (!found) {
        printk("selftest: no test named %s\n", name);
        failures++;
    }
    printk("selftest %s: %s\n", name, failures ? "FAILED" : "passed");
    machine_poweroff(failures ? 1 : 0);
}
