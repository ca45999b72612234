#include "aspace.h"
#include "alloc.h"
#include "region.h"
#include "evict.h"
#include "swap.h"
#include "superpage.h"
#include "vm.h"
#include "fork.h"
#include "kmap.h"
#include "mmstat.h"
#include "page.h"
#include "../arch/riscv/memlayout.h"
#include "../arch/riscv/tlb.h"
#include "../kernel/panic.h"
#include "../kernel/string.h"

struct spinlock aspace_list_lock = {0, "aspace_list", 0};
struct aspace *aspace_all;

/* Address-space objects are small; keep a fixed pool of them
 * (MAX_ASPACES, aspace.h). */
static struct aspace pool[MAX_ASPACES];
static int pool_used[MAX_ASPACES];

struct page *user_page_alloc(int zero)
{
    struct page *pg = evict_may_alloc() ? page_alloc(zero) : 0;
    if (pg)
        pg->flags |= PG_USER;
    return pg;
}

struct aspace *aspace_create(void)
{
    struct aspace *as = 0;
    spin_lock(&aspace_list_lock);
    for (int i = 0; i < MAX_ASPACES; i++)
        if (!pool_used[i]) {
            pool_used[i] = 1;
            as = &pool[i];
            break;
        }
    spin_unlock(&aspace_list_lock);
    if (!as)
        return 0;
    memset(as, 0, sizeof *as);
    spin_init(&as->lock, "aspace");
    as->root = pt_ops.alloc();
    if (!as->root) {
        spin_lock(&aspace_list_lock);
        pool_used[as - pool] = 0;
        spin_unlock(&aspace_list_lock);
        return 0;
    }
    /* Share the kernel half: copy its root entries (never changed after boot). */
    memcpy(&as->root[KERNBASE_ROOT_INDEX], &kernel_root[KERNBASE_ROOT_INDEX],
           (PTES_PER_TABLE - KERNBASE_ROOT_INDEX) * sizeof(pte_t));
    spin_lock(&aspace_list_lock);
    as->next_all = aspace_all;
    aspace_all = as;
    spin_unlock(&aspace_list_lock);
    return as;
}

/* The user half of the root: entries 0..KERNBASE_ROOT_INDEX-1. */
#define USER_HALF_END ((uint64_t)KERNBASE_ROOT_INDEX << 30)

/* Tearing down a large address space takes a long time with its spin
 * lock held (interrupts off: tens of millions of instructions at 64 MiB
 * on the debug kernel, which fills each freed frame): the walk lets the
 * lock go every TEARDOWN_PAGES_PER_BREAK pages, as fork does. At each
 * break the tables are as the audit expects: every dropped page's entry
 * and every freed table's entry cleared, resident counting what is left. */
#define TEARDOWN_PAGES_PER_BREAK 128

#ifdef RVOS_DEBUG
/* The debug kernel measures the stretches (printed at power-off). */
static uint64_t free_irqoff_longest_here;
uint64_t free_irqoff_longest(void) { return free_irqoff_longest_here; }
#endif

/* Notes how long interrupts were off (debug kernel) and lets them in:
 * as->lock goes for a moment. Used while freeing many pages. */
static void free_let_interrupts_in(struct aspace *as, int again)
{
#ifdef RVOS_DEBUG
    irqoff_note(&free_irqoff_longest_here);
#endif
    if (again) {
        spin_unlock(&as->lock);
        spin_lock(&as->lock);
    }
}

struct teardown {
    struct page_map m;
    struct aspace *as;
    unsigned since; /* pages dropped since the lock was last let go */
};

/* A level-0 table shared with another address space (odf) only loses
 * one reference (its pages, counted in resident, go from this count
 * first: the table may be freed as soon as the reference is dropped); the
 * last holder descends and drops its frames. */
static int teardown_pre(void *ctx, pte_t *e, int level, uint64_t va)
{
    struct teardown *t = ctx;
    (void)va;
    if (!(*e & PTE_V))
        return SV39_SKIP;
    if (level == 1 && pte_is_super(*e)) {
        /* 512 pages at once (the debug kernel poisons each): a break
         * after each superpage, with its entry cleared and counted. */
        superpage_drop(t->as, e);
        t->since = 0;
        free_let_interrupts_in(t->as, 1);
        return SV39_SKIP;
    }
    if (level == 1) {
        uint64_t mapped = 0;
        for (int i = 0; i < PTES_PER_TABLE; i++)
            mapped += (pte_table(*e)[i] & PTE_V) != 0;
        if (page_put_unless_last(pa_to_page(pte_to_pa(*e)))) {
            t->as->resident -= mapped;
            *e = 0;
            return SV39_SKIP;
        }
    }
    return SV39_DESCEND;
}

static int teardown_leaf(void *ctx, pte_t *e, uint64_t va)
{
    struct teardown *t = ctx;
    (void)va;
    pte_t x = *e;
    /* Most entries are 0: one test for them. */
    if (!x)
        return 0;
    *e = 0;
    if (x & PTE_V) {
        page_put(pte_page(t->m, x));
        t->as->resident--;
    } else {
        swap_put(pte_swap_slot(x));
    }
    if (++t->since == TEARDOWN_PAGES_PER_BREAK) {
        t->since = 0;
        free_let_interrupts_in(t->as, 1);
    }
    return 0;
}

/* After a table's entries: free it and clear the entry that led to it. */
static void teardown_post(void *ctx, pte_t *e, int level, uint64_t va)
{
    (void)ctx, (void)level, (void)va;
    pt_ops.free(pte_table(*e));
    *e = 0;
}

/* Drops every user page and frees every user page-table page; the caller
 * holds as->lock, which the walk lets go now and then. It runs once per
 * resident page at every exit: the walker inlines these callbacks, so
 * there is no indirect call per leaf. */
static void teardown_user_half(struct aspace *as)
{
    struct teardown t = {page_map_get(), as, 0};
    sv39_visit(as->root, 0, USER_HALF_END, 0, teardown_pre, teardown_leaf, teardown_post, &t);
    free_let_interrupts_in(as, 0);
}

/* No hart may run on this address space any more (aspace_deactivate first).
 * Every hart that ran on it switched satp away since, with a full flush
 * (satp_switch), so no walk cache holds its tables: they may be freed and
 * reused at once. Teardown happens under the lock (let go now and then,
 * with the tables consistent) and before unlinking, so the audit sees
 * what is left of the address space, or none of it. */
void aspace_destroy(struct aspace *as)
{
    int hart = aspace_active_on(as);
    if (hart >= 0)
        panic("aspace_destroy: hart %d still runs on this page table", hart);
    /* Shared file mappings first: their dirty pages go to their files
     * while still mapped (this sleeps, so before the lock). */
    aspace_writeback(as, 0, USER_TOP);
    spin_lock(&as->lock);
    teardown_user_half(as);
    superpage_deposits_free(as);
    as->resident = 0;
    struct region *regions = as->regions;
    as->regions = 0;
    as->heap = 0;
    as->nregions = 0;
    spin_unlock(&as->lock);
    region_list_free(regions); /* file references: may sleep */
    spin_lock(&aspace_list_lock);
    for (struct aspace **pp = &aspace_all; *pp; pp = &(*pp)->next_all)
        if (*pp == as) {
            *pp = as->next_all;
            break;
        }
    pt_ops.free(as->root);
    pool_used[as - pool] = 0;
    spin_unlock(&aspace_list_lock);
}

uint64_t aspace_root_pa(struct aspace *as) { return va_to_pa(as->root); }

int aspace_reserve(struct aspace *as, const struct region *tmpl)
{
    struct region *r = region_alloc();
    if (!r)
        return -1;
    *r = *tmpl;
    r->next = 0;
    if (region_file_get(r, 1) < 0) {
        region_free(r);
        return -1;
    }
    spin_lock(&as->lock);
    int bad = region_insert(as, r);
    if (!bad && r->kind == REGION_HEAP)
        as->heap = r;
    spin_unlock(&as->lock);
    if (bad) {
        region_list_free(r);
        return -1;
    }
    if (r->start == r->end || r->kind == REGION_GUARD)
        return 0;
    return alloc_policy->reserved(as, r, r->start, r->end);
}

static int unmap_leaf(void *ctx, pte_t *pte, uint64_t va)
{
    struct aspace *as = ctx;
    if (pte_is_swap(*pte)) {
        swap_put(pte_swap_slot(*pte));
        *pte = 0;
        return 0;
    }
    if (!(*pte & PTE_V))
        return 0;
    page_put(pa_to_page(pte_to_pa(*pte)));
    *pte = 0;
    as->resident--;
    /* Only this hart can hold translations of this address space (see
     * satp_switch), so a local flush of the page is enough. */
    tlb_flush_page(va);
    return 0;
}

struct unmap {
    struct aspace *as;
    uint64_t end;
};

/* Descends into tables; a superpage the range covers whole goes at once
 * (the edges were split: superpage_split_edges), one it covers in part
 * is split here if it was not. */
static int unmap_pre(void *ctx, pte_t *e, int level, uint64_t va)
{
    struct unmap *u = ctx;
    if (level != 1 || !pte_is_super(*e))
        return sv39_tables_present(ctx, e, level, va);
    uint64_t base = va & ~(uint64_t)(SUPER_BYTES - 1);
    if (base == va && u->end - va >= SUPER_BYTES) {
        superpage_drop(u->as, e);
        tlb_flush_page(va); /* drops the superpage's translation (local: as unmap_leaf) */
        return SV39_SKIP;
    }
    superpage_split(u->as, e, va);
    return SV39_DESCEND;
}

static int unmap_leaf_in(void *ctx, pte_t *pte, uint64_t va) { return unmap_leaf(((struct unmap *)ctx)->as, pte, va); }

uint64_t aspace_table_pages(struct aspace *as)
{
    spin_lock(&as->lock);
    uint64_t n = 1 + as->ndeposits;
    for (int i = 0; i < KERNBASE_ROOT_INDEX; i++) {
        if (!(as->root[i] & PTE_V) || pte_is_leaf(as->root[i]))
            continue;
        const pte_t *l1 = pte_table(as->root[i]);
        n++;
        for (int j = 0; j < PTES_PER_TABLE; j++)
            n += (l1[j] & PTE_V) && !pte_is_leaf(l1[j]);
    }
    spin_unlock(&as->lock);
    return n;
}

/* The tables under the range are private (aspace_unshare_range, or just
 * filled by this address space, which made them private), and a
 * superpage it covers in part was split (superpage_split_edges). */
static void unmap_keeping_tables(struct aspace *as, uint64_t va, uint64_t end)
{
    struct unmap u = {as, end};
    sv39_visit(as->root, va, end, 0, unmap_pre, unmap_leaf_in, 0, &u);
}

/* munmap: the page-table pages the range emptied are given back too. */
void aspace_unmap_locked(struct aspace *as, uint64_t va, uint64_t npages)
{
    uint64_t end = va + npages * PAGE_SIZE;
    unmap_keeping_tables(as, va, end);
    sv39_prune(as->root, va, end, &pt_ops);
}

/* Bytes a shrinking sbrk unmaps with the lock held (128 pages, as
 * teardown). */
#define SBRK_SHRINK_CHUNK (512ul << 10)

/* The heap keeps its page-table pages when it shrinks (or a growth is
 * undone), as in the classic kernel: growing again reuses them, exit
 * frees them. So what sysinfo reports free after a shrink is exactly what
 * sbrk can take again, page for page (the syscall lab's sysinfotest
 * counts on it), and a heap that moves up and down allocates no tables
 * after its first climb. The cost is bounded by the heap's highest
 * extent: a page per 2 MiB. */
int64_t aspace_sbrk(struct aspace *as, int64_t delta, int lazy)
{
    spin_lock(&as->lock);
    uint64_t old = as->brk;
    uint64_t new = old + (uint64_t)delta;
    uint64_t old_top = PAGE_ROUND_UP(old), new_top = PAGE_ROUND_UP(new);
    /* The heap may grow up to whatever region lies above it (a mapping,
     * the stack's guard page), never into it. */
    if (delta < 0 && new > old) {
        /* A shrink past address 0: the classic kernel's sbrk leaves the
         * break where it is and returns it (the 2025 usertests' lazy_copy
         * counts on that). */
        spin_unlock(&as->lock);
        return (int64_t)old;
    }
    if (!as->heap || (delta > 0 && (new < old || new > USER_STACK_TOP || !region_range_free(as, old_top, new_top))) ||
        (delta < 0 && new < as->heap_start)) {
        spin_unlock(&as->lock);
        return -1;
    }
    if (new_top > old_top) {
        as->heap->end = new_top;
        as->brk = new;
        spin_unlock(&as->lock);
        /* sbrklazy reserves only; sbrk does what the policy does. */
        if (!lazy && alloc_policy->reserved(as, as->heap, old_top, new_top) < 0) {
            spin_lock(&as->lock);
            unmap_keeping_tables(as, old_top, new_top);
            as->heap->end = old_top;
            as->brk = old;
            spin_unlock(&as->lock);
            return -1;
        }
        return (int64_t)old;
    }
    if (new_top < old_top) {
        /* Tables shared with another address space (odf) are copied
         * before any entry is cleared: all of them or, if memory runs
         * out, no change the process can see. */
        if (aspace_unshare_range(as, new_top, old_top)) {
            spin_unlock(&as->lock);
            return -1;
        }
        superpage_split_edges(as, new_top, old_top);
        /* From the top down, a chunk at a time, letting interrupts in
         * between (as teardown does): at each break the pages above are
         * gone and the heap region still covers them, which the audit
         * accepts. Only this process moves its break, and it is here (the
         * evictor may swap pages of the rest out meanwhile, which
         * unmapping handles). */
        for (uint64_t top = old_top; top > new_top;) {
            uint64_t from = (top - 1) & ~(SBRK_SHRINK_CHUNK - 1);
            if (from < new_top)
                from = new_top;
            unmap_keeping_tables(as, from, top);
            top = from;
            free_let_interrupts_in(as, top > new_top);
        }
        as->heap->end = new_top;
    }
    as->brk = new;
    spin_unlock(&as->lock);
    return (int64_t)old;
}

/* The policies copy what is present; a page in swap (mm/swap.h) is the
 * same under every policy: the child's PTE names the slot too. */
static void fork_swap_ptes(const pte_t *src, pte_t *dst)
{
    for (int i = 0; i < PTES_PER_TABLE; i++)
        if (pte_is_swap(src[i])) {
            swap_dup(pte_swap_slot(src[i]));
            dst[i] = src[i];
        }
}

/* Fork walks the parent's root and level-1 tables, building the child's
 * as it goes, and hands each level-0 table to the policy whole. */
struct fork_walk {
    struct fork_ctx fc;
    const struct fork_policy *policy;
    pte_t *dst1;     /* the child's level-1 table under construction */
    unsigned tables; /* level-0 tables handled so far */
};

#ifdef RVOS_DEBUG
/* The debug kernel measures the stretches (printed at power-off). */
static uint64_t irqoff_longest_here;
uint64_t fork_copy_irqoff_longest(void) { return irqoff_longest_here; }
#endif

/* A fork of a large address space takes many timer periods, with the
 * parent's spin lock held and so with interrupts off: the walk lets the
 * lock go for a moment every FORK_TABLES_PER_BREAK tables (and copy every
 * COPY_BATCH pages), so that a timer or device interrupt waiting behind
 * it is taken. Nothing the walk relies on can change meanwhile: only the
 * parent changes its own page tables and regions, and it is here; a
 * table it shares (odf) is written by nobody; the child's tables are seen
 * by nobody but the audit, which takes the parent's lock too. */
#define FORK_TABLES_PER_BREAK 8
void fork_let_interrupts_in(struct fork_ctx *fc)
{
#ifdef RVOS_DEBUG
    irqoff_note(&irqoff_longest_here);
#endif
    /* The audit may run in the gap: it sees the child's tables as they
     * stand (and its regions, copied first), so the count must match. */
    fc->child->resident = fc->pages;
    spin_unlock(&fc->parent->lock);
    spin_lock(&fc->parent->lock);
}

static int fork_pre(void *ctx, pte_t *e, int level, uint64_t va)
{
    struct fork_walk *w = ctx;
    (void)level; /* only the root's entries come here: level-1 entries are leaves of this walk */
    if (!(*e & PTE_V))
        return SV39_SKIP;
    w->dst1 = pt_ops.alloc();
    if (!w->dst1)
        return -1;
    w->fc.child->root[VPN(va, 2)] = pa_to_pte(va_to_pa(w->dst1), PTE_V);
    return SV39_DESCEND;
}

/* One valid level-1 entry: the child shares its level-0 table (if the
 * policy says so) or gets a table of its own filled by clone_l0. Out of
 * line, so that fork_l1 below stays small enough to be inlined into the
 * walk: most of the 512 entries of a level-1 table are empty, and a call
 * per empty entry cost an empty fork 14% (6,400 instructions). */
static __attribute__((noinline)) int fork_l0_table(struct fork_walk *w, pte_t *e, uint64_t va)
{
    if (++w->tables % FORK_TABLES_PER_BREAK == 0)
        fork_let_interrupts_in(&w->fc);
    if (pte_is_super(*e)) {
        /* A superpage: the policy forks it whole, or declines, and the
         * parent's leaf is split into a table forked as any other. */
        int r = w->policy->clone_super ? w->policy->clone_super(&w->fc, e, &w->dst1[VPN(va, 1)], va) : 0;
        if (r)
            return r < 0 ? -1 : 0;
        superpage_split(w->fc.parent, e, va);
        w->fc.parent_changed = 1; /* its translation may be cached; the table's PTEs may now change */
    }
    if (w->policy->share_l0 && w->policy->share_l0(&w->fc, pte_table(*e), va)) {
        w->dst1[VPN(va, 1)] = *e;
        return 0;
    }
    pte_t *dst0 = pt_ops.alloc();
    if (!dst0)
        return -1;
    w->dst1[VPN(va, 1)] = pa_to_pte(va_to_pa(dst0), PTE_V);
    if (w->policy->clone_l0(&w->fc, pte_table(*e), dst0, va))
        return -1;
    if (evict_active() && swap_slots_used())
        fork_swap_ptes(pte_table(*e), dst0);
    return 0;
}

static inline __attribute__((always_inline)) int fork_l1(void *ctx, pte_t *e, uint64_t va)
{
    return (*e & PTE_V) ? fork_l0_table(ctx, e, va) : 0;
}

static struct aspace *fork_once(struct aspace *parent);

/* Out of memory with eviction active: reclaim and try again. Fork under
 * copy needs a frame per resident page of the parent, and the evictor
 * waits while a fork runs, so room for all of them is made first. */
struct aspace *aspace_fork(struct aspace *parent)
{
    if (!evict_active())
        return fork_once(parent);
    mm_reclaim_if_low();
    for (int tries = 0;; tries++) {
        evict_fork_begin();
        struct aspace *child = fork_once(parent);
        evict_fork_end();
        if (child || tries == 8 || !mm_reclaim(parent->resident + 64))
            return child;
    }
}

static struct aspace *fork_once(struct aspace *parent)
{
    struct aspace *child = aspace_create();
    if (!child)
        return 0;
    struct fork_walk w = {{parent, child, 0, 0, {0}, 0}, fork_policy, 0, 0};
    spin_lock(&parent->lock);
    /* Regions first: the audit may look at the child while the walk lets
     * interrupts in, and every page it finds mapped must be reserved. */
    int failed = region_list_copy(parent->regions, &child->regions) != 0;
    for (struct region *r = child->regions; r; r = r->next) {
        child->nregions++;
        if (r->kind == REGION_HEAP)
            child->heap = r;
    }
    child->heap_start = parent->heap_start;
    child->brk = parent->brk;
    child->mmap_top = parent->mmap_top;
    if (!failed)
        failed = sv39_visit(parent->root, 0, USER_HALF_END, 1, fork_pre, fork_l1, 0, &w) != 0;
    while (w.fc.nruns > 0) /* runs taken ahead for superpages and not needed */
        superpage_free_run(w.fc.runs[--w.fc.nruns]);
    /* The parent runs on this hart; if its PTEs lost W, drop any writable
     * translation this hart cached. No other hart holds any (satp_switch). */
    if (w.fc.parent_changed)
        tlb_flush_all();
    child->resident = w.fc.pages;
    spin_unlock(&parent->lock);
    if (failed) {
        aspace_destroy(child);
        return 0;
    }
    mmstat_count_fork();
    return child;
}
