/* Host unit tests for arch/riscv/sv39.c: the software page-table walker,
 * and the rule that a page-table page is freed only after a full
 * sfence.vma has dropped every cached pointer to it (privileged spec
 * 4.2.1: a flush of one address may keep the non-leaf entries on the way
 * to it).
 *
 * With KERNBASE = 0 a host pointer is its own "physical" address, so the
 * tables are ordinary aligned heap blocks. tlb_flush_all and
 * tlb_flush_page are supplied here: each full flush takes a snapshot of
 * the tables still reachable from the root, and freeing a table checks
 * that it was already unreachable at the last full flush. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/riscv/memlayout.h"
#include "arch/riscv/sv39.h"
#include "arch/riscv/tlb.h"
#include "check.h"

#define MAX_TABLES 256

static pte_t *root;
static pte_t *live[MAX_TABLES]; /* tables allocated and not yet freed */
static int nlive;
static pte_t *reachable_at_flush[MAX_TABLES];
static int nreachable_at_flush;
static int full_flushes, frees, early_frees;

static int collect(pte_t *table, int level, pte_t **out, int n)
{
    for (int i = 0; i < PTES_PER_TABLE && level > 0; i++) {
        if (!(table[i] & PTE_V) || pte_is_leaf(table[i]))
            continue;
        pte_t *next = (pte_t *)(uintptr_t)pte_to_pa(table[i]);
        if (n < MAX_TABLES)
            out[n++] = next;
        n = collect(next, level - 1, out, n);
    }
    return n;
}

void tlb_flush_all(void)
{
    full_flushes++;
    nreachable_at_flush = collect(root, 2, reachable_at_flush, 0);
}

void tlb_flush_page(uint64_t va) { (void)va; }

static pte_t *table_alloc(void)
{
    if (nlive == MAX_TABLES)
        return 0;
    pte_t *t = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    if (!t)
        return 0;
    memset(t, 0, PAGE_SIZE);
    live[nlive++] = t;
    return t;
}

static void table_free(pte_t *t)
{
    frees++;
    if (!full_flushes)
        early_frees++; /* no full flush at all since the test began */
    for (int i = 0; i < nreachable_at_flush; i++)
        if (reachable_at_flush[i] == t)
            early_frees++; /* still reachable when the last full flush ran */
    for (int i = 0; i < nlive; i++)
        if (live[i] == t) {
            live[i] = live[--nlive];
            break;
        }
    free(t);
}

static const struct pt_ops ops = {table_alloc, table_free};

static void reset(void)
{
    nlive = 0;
    root = table_alloc();
    full_flushes = frees = early_frees = nreachable_at_flush = 0;
}

/* Maps one fake frame at each va; returns how many mappings were made. */
static int map_pages(const uint64_t *vas, int n)
{
    int done = 0;
    for (int i = 0; i < n; i++) {
        pte_t *pte = sv39_walk(root, vas[i], &ops);
        if (pte) {
            *pte = pa_to_pte(0x80000000UL + (uint64_t)i * PAGE_SIZE, PTE_R | PTE_W | PTE_U | PTE_V);
            done++;
        }
    }
    return done;
}

static void unmap_pages(const uint64_t *vas, int n)
{
    for (int i = 0; i < n; i++) {
        pte_t *pte = sv39_walk(root, vas[i], 0);
        if (pte)
            *pte = 0;
    }
}

static void test_walk(void *arg)
{
    (void)arg;
    reset();
    uint64_t va = 0x12345000UL;
    CHECK(sv39_walk(root, va, 0) == 0); /* nothing there, nothing allocated */
    CHECK_EQ(nlive, 1);
    pte_t *pte = sv39_walk(root, va, &ops);
    CHECK(pte != 0);
    CHECK_EQ(nlive, 3); /* a level-1 and a level-0 table */
    CHECK(sv39_walk(root, va, 0) == pte);
    CHECK(sv39_walk(root, va + PAGE_SIZE, 0) == pte + 1);
}

/* Emptying one 2 MiB region frees its level-0 table and nothing else. */
static void test_prune_one_region(void *arg)
{
    (void)arg;
    reset();
    uint64_t a[] = {0x200000, 0x201000, 0x3ff000}; /* one 2 MiB region */
    uint64_t b[] = {0x400000};                     /* the next one, same gigabyte */
    CHECK_EQ(map_pages(a, 3), 3);
    CHECK_EQ(map_pages(b, 1), 1);
    int before = nlive;
    unmap_pages(a, 3);
    sv39_prune(root, 0x200000, 0x400000, &ops);
    CHECK_EQ(frees, 1);
    CHECK_EQ(nlive, before - 1);
    CHECK_EQ(early_frees, 0);
    CHECK(full_flushes >= 1);
    CHECK(sv39_walk(root, b[0], 0) != 0 && (*sv39_walk(root, b[0], 0) & PTE_V));
    CHECK(sv39_walk(root, a[0], 0) == 0);
}

/* Emptying a whole gigabyte frees its level-1 table too. */
static void test_prune_gigabyte(void *arg)
{
    (void)arg;
    reset();
    uint64_t a[] = {0x40000000, 0x40200000, 0x7fe00000};
    CHECK_EQ(map_pages(a, 3), 3);
    CHECK_EQ(nlive, 1 + 1 + 3);
    unmap_pages(a, 3);
    sv39_prune(root, 0x40000000, 0x80000000, &ops);
    CHECK_EQ(frees, 4);
    CHECK_EQ(nlive, 1);
    CHECK_EQ(early_frees, 0);
    CHECK_EQ(root[1], 0);
}

/* More empty tables than prune detaches between flushes: every one is
 * still freed only after a full flush that no longer saw it. */
static void test_prune_many(void *arg)
{
    (void)arg;
    reset();
    uint64_t v[40];
    for (int i = 0; i < 40; i++)
        v[i] = 0x80000000UL + (uint64_t)i * LEVEL_SIZE(1) + 0x5000;
    CHECK_EQ(map_pages(v, 40), 40);
    unmap_pages(v, 40);
    sv39_prune(root, v[0], v[39] + PAGE_SIZE, &ops);
    CHECK_EQ(frees, 41);
    CHECK_EQ(nlive, 1);
    CHECK_EQ(early_frees, 0);
}

/* Nothing empty: nothing freed, and no needless full flush. */
static void test_prune_nothing(void *arg)
{
    (void)arg;
    reset();
    uint64_t a[] = {0x200000, 0x600000};
    CHECK_EQ(map_pages(a, 2), 2);
    sv39_prune(root, 0, 0x800000, &ops);
    CHECK_EQ(frees, 0);
    CHECK_EQ(full_flushes, 0);
}

int main(void)
{
    check_group("sv39_walk: lookup and allocation of missing tables", test_walk, 0);
    check_group("sv39_prune: one emptied 2 MiB region", test_prune_one_region, 0);
    check_group("sv39_prune: an emptied gigabyte frees its level-1 table", test_prune_gigabyte, 0);
    check_group("sv39_prune: 40 emptied tables, each freed after a full flush", test_prune_many, 0);
    check_group("sv39_prune: nothing empty, nothing freed or flushed", test_prune_nothing, 0);
    return check_summary();
}
