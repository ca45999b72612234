/* Eager allocation: every reserved page is filled at once. */
#include "alloc.h"
#include "evict.h"
#include "page.h"
#include "swap.h"
#include "vm.h"

static int eager_reserved(struct aspace *as, struct region *r, uint64_t start, uint64_t end)
{
    (void)r;
    /* Refuse at once what free memory could never hold rather than fill
     * until it runs out (and give it all back): past this check a
     * failure undoes only what was filled. Exact, not padded for page
     * tables: sbrk must be able to take the last free frames, as sysinfo
     * counts them. With eviction, pages pushed out to swap make room:
     * free swap slots count too. */
    uint64_t room = page_free_count();
    if (evict_active())
        room += swap_slots_total() - swap_slots_used();
    if ((end - start) / PAGE_SIZE > room)
        return -1;
    return vm_populate(as, start, end);
}

static uint32_t eager_stack_pages(uint32_t asked) { return asked; }

const struct alloc_policy alloc_policy_eager = {"eager", eager_reserved, eager_stack_pages};
