/* Eager allocation: every reserved page is filled at once. */
#include "alloc.h"
#include "vm.h"

static int eager_reserved(struct aspace *as, struct region *r, uint64_t start, uint64_t end)
{
    (void)r;
    return vm_populate(as, start, end);
}

static uint32_t eager_stack_pages(uint32_t asked) { return asked; }

const struct alloc_policy alloc_policy_eager = {"eager", eager_reserved, eager_stack_pages};
