/* Host unit tests for the frame allocator's per-hart caches (mm/page.c,
 * labs/locks). kstubs' cpu_index() returns kstub_hart, so one host
 * thread can play several harts in turn; kstubs count lock acquisitions.
 * The tests hold the allocator to what the lab asks of it:
 *   - a hart's allocations and frees mostly stay off the global lock;
 *   - frames cached on one hart can be allocated from any other;
 *   - the free count and the list length always agree, caches included. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "drivers/fdt.h"
#include "include/rvos/allocstat.h"
#include "kstubs.h"
#include "mm/page.h"

#define P PAGE_SIZE
#define FRAMES 2048

static uint64_t list_length(void)
{
    page_lock_allocator();
    uint64_t n = page_free_list_length();
    page_unlock_allocator();
    return n;
}

static int all_distinct(struct page **v, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (v[i] == v[j])
                return 0;
    return 1;
}

/* 1,000 allocations and 1,000 frees on one hart take the global lock
 * once per batch, not once per operation. */
static void test_batching(void *unused)
{
    (void)unused;
    static struct page *v[1000];
    kstub_hart = 0;
    kstub_reset_locks();
    struct allocstat a0, a1;
    page_allocstat(&a0);
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 100; i++)
            v[i] = page_alloc(0);
        for (int i = 0; i < 100; i++)
            page_put(v[i]);
    }
    page_allocstat(&a1);
    unsigned long global = a1.lock_acquires - a0.lock_acquires;
    check_note("1000 allocations + 1000 frees: %lu acquisitions of the global lock", global);
    CHECK(global < 2000 / 4);
    CHECK(a1.cache_allocs - a0.cache_allocs >= 1000 / 2);
    CHECK_EQ(kstub_locks.held, 0);
    CHECK_EQ(page_free_count(), page_usable_count());
    CHECK_EQ(list_length(), page_free_count());
}

/* Frames freed on hart 1 sit in its cache; hart 0 can still get every
 * free frame, and the counts agree all along. */
static void test_steal(void *unused)
{
    (void)unused;
    uint64_t total = page_usable_count();
    struct page **v = calloc(total + 1, sizeof *v);
    kstub_hart = 1;
    for (int i = 0; i < 40; i++)
        v[i] = page_alloc(0);
    for (int i = 0; i < 40; i++)
        page_put(v[i]); /* into hart 1's cache */
    CHECK_EQ(page_free_count(), total);
    CHECK_EQ(list_length(), total);
    kstub_hart = 0;
    uint64_t n = 0;
    while (n <= total && (v[n] = page_alloc(0)))
        n++;
    CHECK_EQ(n, total); /* hart 1's cached frames included */
    CHECK_EQ(page_free_count(), 0);
    CHECK_EQ(list_length(), 0);
    CHECK(page_alloc(0) == 0);
    CHECK(all_distinct(v, n < 600 ? (int)n : 600));
    /* Free them spread over several harts, then all come back. */
    for (uint64_t i = 0; i < n; i++) {
        kstub_hart = (int)(i % 4);
        page_put(v[i]);
        if (i % 97 == 0)
            CHECK_EQ(list_length(), page_free_count());
    }
    kstub_hart = 0;
    CHECK_EQ(page_free_count(), total);
    CHECK_EQ(list_length(), total);
    free(v);
    CHECK_EQ(kstub_locks.held, 0);
}

/* A hart's cache does not grow without bound: frees beyond it go back to
 * the global list, where other harts find them without stealing. */
static void test_cache_bounded(void *unused)
{
    (void)unused;
    static struct page *v[600];
    kstub_hart = 2;
    for (int i = 0; i < 600; i++)
        v[i] = page_alloc(0);
    for (int i = 0; i < 600; i++)
        page_put(v[i]);
    struct allocstat st;
    page_allocstat(&st);
    check_note("%lu frames cached after freeing 600 on one hart", st.cached);
    CHECK(st.cached < 200);
    CHECK(st.cache_allocs > 0 && st.cache_frees > 0);
    CHECK_EQ(page_free_count(), page_usable_count());
    kstub_hart = 0;
}

int main(void)
{
    uint8_t *arena = aligned_alloc(P, FRAMES * P);
    if (!arena)
        return 2;
    static struct mem_range ram[1];
    ram[0] = (struct mem_range){(uint64_t)(uintptr_t)arena, FRAMES * P};
    page_db_init(ram, 1, 0, 0);
    check_group("per-hart caches: the global lock once per batch", test_batching, 0);
    check_group("per-hart caches: frames cached elsewhere are reachable", test_steal, 0);
    check_group("per-hart caches: bounded, the rest goes back", test_cache_bounded, 0);
    return check_summary();
}
