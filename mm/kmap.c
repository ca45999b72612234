#include "kmap.h"
#include "page.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/tlb.h"
#include "../drivers/fdt.h"
#include "../kernel/panic.h"

pte_t *kernel_root;

static pte_t *pt_alloc(void)
{
    struct page *pg = page_alloc(PAGE_ZERO);
    if (!pg)
        return 0;
    pg->flags |= PG_PAGETABLE;
    return page_va(pg);
}

static void pt_free(pte_t *table) { page_put(pa_to_page(va_to_pa(table))); }

const struct pt_ops pt_ops = {pt_alloc, pt_free};

extern char _kernel_start[], _etext[], _erodata[], _stacks_start[], _stacks_end[], _kernel_end[];

static void map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
    if (sv39_map_range(kernel_root, va, pa, size, flags | PTE_G, 1, &pt_ops))
        panic("kmap: out of memory building the kernel page table");
}

/* The .stacks section is a row of KSTACK_SLOT slots (kernel.ld): map each
 * stack and leave the page below it, its guard, unmapped. */
static void map_stacks(void)
{
    uint64_t lo = (uint64_t)_stacks_start, hi = (uint64_t)_stacks_end;
    if ((hi - lo) % KSTACK_SLOT || lo % PAGE_SIZE)
        panic("kmap: .stacks is not a row of %lu-byte slots", (uint64_t)KSTACK_SLOT);
    for (uint64_t va = lo; va < hi; va += KSTACK_SLOT)
        map(va + PAGE_SIZE, va_to_pa((void *)va) + PAGE_SIZE, KSTACK_SIZE, PTE_R | PTE_W);
}

/* The page-table pages under the process kernel-stack region, made at
 * boot so that the kernel half never changes above level 0: process page
 * tables copy the root entries once, and mapping a stack later only fills
 * level-0 entries every table already shares. */
static void kstack_tables(void)
{
    for (uint64_t va = KSTACK_BASE; va < KSTACK_BASE + KSTACK_AREA; va += 2UL << 20)
        if (!sv39_walk(kernel_root, va, &pt_ops))
            panic("kmap: out of memory building the kernel page table");
}

/* Bumped whenever a process stack slot is mapped or unmapped. A hart
 * that has seen another value may hold stale translations of a slot:
 * of frames since freed, or of entries that were invalid (without
 * Svvptc, a PTE turned valid need not be seen before an SFENCE.VMA). It
 * flushes before it runs on any process stack (kmap_stack_sync). No hart
 * touches a slot while nobody holds it, so this replaces a shootdown at
 * every fork and exit. */
static uint64_t kstack_gen;

int kmap_stack(uint64_t slot_va)
{
    uint64_t va = slot_va + PAGE_SIZE; /* the guard page stays unmapped */
    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
        struct page *pg = page_alloc(0); /* a stack needs no initial contents */
        if (!pg) {
            kunmap_stack(slot_va);
            return -1;
        }
        pte_t *e = sv39_walk(kernel_root, va + off, 0);
        if (!e || (*e & PTE_V))
            panic("kmap_stack: %lx is not a free stack slot", slot_va);
        *e = pa_to_pte(page_to_pa(pg), PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G);
    }
    /* No fence here: nothing touches the stack through va until a hart
     * switches onto it, and every hart flushes first when kstack_gen
     * moved (kmap_stack_sync), this one included. A flush here would run
     * in every fork, and on QEMU (whose TLB turns a page flush into a
     * full one once large pages are mapped) it would hide a fork policy
     * that forgets to flush the parent's stale writable entries
     * (tlb_fork, cow mutant 08). */
    __atomic_fetch_add(&kstack_gen, 1, __ATOMIC_RELEASE);
    return 0;
}

void kunmap_stack(uint64_t slot_va)
{
    struct page *frames[KSTACK_SIZE / PAGE_SIZE];
    int n = 0;
    for (uint64_t va = slot_va + PAGE_SIZE; va < slot_va + KSTACK_SLOT; va += PAGE_SIZE) {
        pte_t *e = sv39_walk(kernel_root, va, 0);
        if (!e || !(*e & PTE_V)) /* kmap_stack's failure leaves a part */
            continue;
        frames[n++] = pa_to_page(pte_to_pa(*e));
        *e = 0;
        tlb_flush_page(va);
    }
    __atomic_fetch_add(&kstack_gen, 1, __ATOMIC_RELEASE);
    /* Other harts may still cache the old entries, but none touches the
     * slot before kmap_stack_sync flushes it. */
    while (n)
        page_put(frames[--n]);
}

void kmap_stack_sync(uint64_t *seen)
{
    uint64_t gen = __atomic_load_n(&kstack_gen, __ATOMIC_ACQUIRE);
    if (gen != *seen) {
        tlb_flush_all();
        *seen = gen;
    }
}

/* Direct-maps [lo, hi) except the kernel image, which gets section
 * permissions: text R+X, rodata R, data and bss R+W, the stacks R+W with
 * their guard pages unmapped, the symbol table R (W^X throughout). */
static void map_ram(uint64_t lo, uint64_t hi)
{
    uint64_t img_lo = va_to_pa(_kernel_start), img_hi = va_to_pa(_kernel_end);
    if (img_hi <= lo || img_lo >= hi) {
        map((uint64_t)pa_to_va(lo), lo, hi - lo, PTE_R | PTE_W);
        return;
    }
    if (lo < img_lo)
        map((uint64_t)pa_to_va(lo), lo, img_lo - lo, PTE_R | PTE_W);
    map((uint64_t)_kernel_start, img_lo, _etext - _kernel_start, PTE_R | PTE_X);
    map((uint64_t)_etext, va_to_pa(_etext), _erodata - _etext, PTE_R);
    map((uint64_t)_erodata, va_to_pa(_erodata), _stacks_start - _erodata, PTE_R | PTE_W);
    map_stacks();
    map((uint64_t)_stacks_end, va_to_pa(_stacks_end), _kernel_end - _stacks_end, PTE_R);
    if (img_hi < hi)
        map((uint64_t)pa_to_va(img_hi), img_hi, hi - img_hi, PTE_R | PTE_W);
}

static void map_mmio(uint64_t pa, uint64_t size)
{
    if (!pa)
        return;
    uint64_t lo = PAGE_ROUND_DOWN(pa), hi = PAGE_ROUND_UP(pa + (size ? size : PAGE_SIZE));
    map((uint64_t)pa_to_va(lo), lo, hi - lo, PTE_R | PTE_W);
}

void kmap_init(const struct platform *pf)
{
    kernel_root = pt_alloc();
    if (!kernel_root)
        panic("kmap: no memory");
    for (int i = 0; i < pf->nmemory; i++)
        map_ram(PAGE_ROUND_DOWN(pf->memory[i].base), PAGE_ROUND_UP(pf->memory[i].base + pf->memory[i].size));
    if (kernel_root[KSTACK_BASE >> 30 & 511] & PTE_V)
        panic("kmap: RAM reaches the kernel-stack region at %lx", KSTACK_BASE);
    kstack_tables();
    map_mmio(pf->uart_base, PAGE_SIZE);
    map_mmio(pf->plic_base, pf->plic_size);
    map_mmio(pf->finisher_base, PAGE_SIZE);
    for (int i = 0; i < pf->nvirtio; i++)        /* drivers/virtio_blk.c probes them */
        map_mmio(pf->virtio[i].base, PAGE_SIZE); /* registers and config fit in 0x200 bytes */
    /* The kernel half is complete now and never changes again: process
     * page tables copy its root entries once, when they are created. */
}

void kmap_activate(void) { satp_switch(va_to_pa(kernel_root)); }
