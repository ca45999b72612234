/* Boot: from the device tree to the first process, on every hart. */
#include "fs/bio.h"
#include "cmdline.h"
#include "console.h"
#include "cpu.h"
#include "fs/fs.h"
#include "panic.h"
#include "platform.h"
#include "printk.h"
#include "proc.h"
#include "sched.h"
#include "selftest.h"
#include "string.h"
#include "trap.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/sbi.h"
#include "../arch/riscv/trap.h"
#include "../drivers/fdt.h"
#include "../drivers/finisher.h"
#include "../drivers/plic.h"
#include "../drivers/uart.h"
#include "../drivers/virtio_blk.h"
#include "../mm/alloc.h"
#include "../mm/fork.h"
#include "../mm/evict.h"
#include "../mm/swap.h"
#include "../mm/kmap.h"
#include "../mm/page.h"
#include "../mm/superpage.h"

struct platform platform;
struct cpu cpus[MAX_HARTS];
int ncpu;
extern char _kernel_start[], _kernel_end[], _start[], _start_secondary[];

static void print_memory_map(const struct mem_range *res, int nres)
{
    for (int i = 0; i < platform.nmemory; i++)
        printk("  memory   %016lx-%016lx (%lu MiB)\n", platform.memory[i].base,
               platform.memory[i].base + platform.memory[i].size, platform.memory[i].size >> 20);
    for (int i = 0; i < nres; i++)
        printk("  reserved %016lx-%016lx\n", res[i].base, res[i].base + res[i].size);
}

/* Per-hart setup common to every hart, once paging is on. */
static void hart_setup(int index)
{
    csr_set(sstatus, SSTATUS_FS_INITIAL); /* user programs may use F/D (see fpu.S) */
    trap_init_hart();
    if (platform.hart_plic_context[index] >= 0 && platform.uart_irq)
        plic_enable(platform.uart_irq, platform.hart_plic_context[index]);
    timer_arm();
    cpus[index].online = 1;
}

/* Exchanges everything the device tree said about harts a and b. */
static void swap_harts(struct platform *pf, int a, int b)
{
#define SWAP(field)                                                                                                    \
    do {                                                                                                               \
        __typeof__(pf->field[0]) t_ = pf->field[a];                                                                    \
        pf->field[a] = pf->field[b];                                                                                   \
        pf->field[b] = t_;                                                                                             \
    } while (0)
    SWAP(hartid);
    SWAP(hart_intc);
    SWAP(hart_plic_context);
    SWAP(hart_sstc);
#undef SWAP
}

int harts_online(void)
{
    int up = 0;
    for (int i = 0; i < ncpu; i++)
        up += cpus[i].online;
    return up;
}

static int hart_index(uint64_t hartid)
{
    for (int i = 0; i < platform.nharts; i++)
        if (platform.hartid[i] == hartid)
            return i;
    return -1;
}

/* option=NAME picks one of a pluggable part's policies; an unknown name
 * refuses to boot (exit status 2, like a command-line usage error;
 * tests/CMakeLists.txt expects it), listing the valid ones. */
static void choose_policy(const char *option, const char *what, const char *whats, int (*select)(const char *),
                          const char *(*name_at)(int))
{
    const char *name = cmdline_get(option);
    if (!name || select(name) == 0)
        return;
    printk("%s=%s: unknown %s; valid %s:", option, name, what, whats);
    for (int i = 0; name_at(i); i++)
        printk(" %s", name_at(i));
    printk("\nrefusing to boot\n");
    machine_poweroff(2);
}

/* mm.frames=N: at most N frames hold user pages (eviction beyond). */
static uint64_t frames_cap(void)
{
    const char *v = cmdline_get("mm.frames");
    if (!v)
        return 0;
    uint64_t n = 0;
    const char *p = v;
    for (; *p >= '0' && *p <= '9' && n < (1UL << 40); p++)
        n = n * 10 + (uint64_t)(*p - '0');
    if (*p || p == v || n < 8 || n > page_usable_count()) {
        printk("mm.frames=%s: not a number of frames between 8 and %lu\nrefusing to boot\n", v, page_usable_count());
        machine_poweroff(2);
    }
    return n;
}

void hart_secondary_main(uint64_t hartid)
{
    int idx = hart_index(hartid);
    __asm__ volatile("mv tp, %0" ::"r"(&cpus[idx < 0 ? 0 : idx]));
    trap_init_stacks(hartid);
    kmap_activate();
    hart_setup(idx);
    scheduler();
}

void kmain(uint64_t hartid, uint64_t dtb_pa)
{
    /* tp must point at a struct cpu before the first spin lock. */
    cpus[0].hartid = (uint32_t)hartid;
    __asm__ volatile("mv tp, %0" ::"r"(&cpus[0]));
    trap_init_stacks(hartid);

    const void *dtb = pa_to_va(dtb_pa);
    int err = fdt_parse(dtb, fdt_total_size(dtb), &platform);
    if (platform.uart_base)
        uart_init(platform.uart_base);
    finisher_init(platform.finisher_base);
    printk("\nrvos: RISC-V teaching kernel, booting on hart %lu\n", hartid);
    if (err)
        panic("device tree at %lx: %s", dtb_pa, fdt_strerror(err));
    /* The boot hart may not be the first cpu node: make it cpus[0]. */
    int bi = hart_index(hartid);
    if (bi < 0)
        panic("boot hart %lu not in the device tree", hartid);
    if (bi != 0)
        swap_harts(&platform, 0, bi);
    ncpu = platform.nharts;
    for (int i = 0; i < ncpu; i++) {
        cpus[i].hartid = platform.hartid[i];
        cpus[i].index = i;
    }
    cmdline_init(platform.bootargs);
    printk("command line: %s\n", platform.bootargs);
    if (platform.bootargs_cut)
        cmdline_set_error("longer than 1023 bytes");
    if (cmdline_error()) {
        /* Dropping words silently would run something else than asked. */
        printk("command line: %s; refusing to boot\n", cmdline_error());
        machine_poweroff(2);
    }

    /* Frames we must never hand out: what the firmware reserved, our own
     * image, the device tree blob and the initramfs. */
    struct mem_range res[FDT_MAX_RANGES + 3];
    int nres = 0;
    for (int i = 0; i < platform.nreserved; i++)
        res[nres++] = platform.reserved[i];
    res[nres++] = (struct mem_range){va_to_pa(_kernel_start), (uint64_t)(_kernel_end - _kernel_start)};
    res[nres++] = (struct mem_range){dtb_pa, platform.blob_size};
    if (platform.initrd_end > platform.initrd_start)
        res[nres++] = (struct mem_range){platform.initrd_start, platform.initrd_end - platform.initrd_start};
    printk("memory map:\n");
    print_memory_map(res, nres);
    page_db_init(platform.memory, platform.nmemory, res, nres);
    printk("usable frames: %lu (%lu KiB), page database at %p\n", page_usable_count(), page_usable_count() * 4,
           (void *)page_db);

    kmap_init(&platform);
    kmap_activate();
    plic_init(platform.plic_base);
    timer_interval = (platform.timebase_hz ? platform.timebase_hz : 10000000) / TIMER_HZ;
    hart_setup(0);
    console_init();
    virtio_blk_init(&platform); /* before the other harts start: it writes their PLIC enables */
    bio_init();

    /* A misspelt policy must not boot under another one: a test (or a
     * measurement) would then report on the policy it did not ask for. */
    choose_policy("mm.fork", "fork policy", "policies", fork_policy_select, fork_policy_name);
    printk("fork policy: %s\n", fork_policy->name);
    choose_policy("mm.alloc", "allocation policy", "policies", alloc_policy_select, alloc_policy_name);
    printk("allocation policy: %s\n", alloc_policy->name);
    choose_policy("mm.evict", "eviction policy", "policies", evict_policy_select, evict_policy_name);
    choose_policy("sched", "scheduler", "schedulers", sched_policy_select, sched_policy_name);
    const char *super = cmdline_get("mm.superpages");
    if (super && superpage_select(super) < 0) {
        printk("mm.superpages=%s: neither on nor off\nrefusing to boot\n", super);
        machine_poweroff(2);
    }
    printk("scheduler: %s\n", sched_policy->name);
    const char *root = cmdline_get("root");
    if (fs_root_select(root) < 0) {
        printk("root=%s: unknown root file system; valid: ram disk\nrefusing to boot\n", root);
        machine_poweroff(2);
    }
    swap_init();
    evict_init(frames_cap());

    const char *test = cmdline_get("selftest");
    for (int i = 1; i < ncpu; i++) {
        uint64_t entry = va_to_pa(_start_secondary);
        if (i == ncpu - 1 && test && strcmp(test, "reentry") == 0)
            entry = selftest_reentry_prepare(va_to_pa(_start));
        long e = sbi_hart_start(cpus[i].hartid, entry, 0);
        if (e)
            printk("hart %u: SBI HSM start failed (%ld)\n", cpus[i].hartid, e);
    }
    /* Give them time to reach the scheduler: generous, since on a busy
     * host QEMU may not run a new hart's thread for a while. */
    int up = harts_online();
    for (uint64_t t0 = rdtime(); up < ncpu && rdtime() - t0 < platform.timebase_hz * 5;)
        up = harts_online();
    printk("harts online: %d of %d; timer: %s\n", up, ncpu, platform.hart_sstc[0] ? "Sstc (stimecmp)" : "SBI TIME");

    proc_init();
    vmfile_init();
    int unpacked = fs_init(platform.initrd_end > platform.initrd_start ? pa_to_va(platform.initrd_start) : 0,
                           platform.initrd_end - platform.initrd_start);
    /* The archive is unpacked into frames now: give its memory back, unless
     * it shares a frame with another reserved range (the last entry of res
     * is the initramfs itself). */
    if (platform.initrd_end > platform.initrd_start) {
        uint64_t lo = platform.initrd_start, hi = platform.initrd_end;
        int alone = 1;
        for (int i = 0; i < nres - 1; i++)
            alone &= PAGE_ROUND_UP(res[i].base + res[i].size) <= PAGE_ROUND_DOWN(lo) ||
                     PAGE_ROUND_DOWN(res[i].base) >= PAGE_ROUND_UP(hi);
        if (alone)
            printk(unpacked ? "initramfs: %lu frames given back after unpacking\n"
                            : "initramfs: not unpacked (root=disk); %lu frames given back\n",
                   page_release_reserved(lo, hi - lo));
    }

    if (test)
        selftest_run(test); /* powers off when done */

    static const char *argv[MAXARGS_INIT + 1];
    const char *init = cmdline_get("init");
    if (!init || !*init)
        init = "/bin/init";
    argv[0] = init;
    int argc = 1 + cmdline_init_argv(argv + 1, MAXARGS_INIT - 1);
    printk("starting %s\n", init);
    proc_start_first(init, argv, argc);
    scheduler();
}
