/* Lazy allocation: reserving fills nothing; vm_fault fills each page on
 * its first access. */
#include "alloc.h"
#include "../include/rvos/exec.h"

static int lazy_reserved(struct aspace *as, struct region *r, uint64_t start, uint64_t end)
{
    /* LAB lazy BEGIN: reserving address space fills nothing */
    (void)as, (void)r, (void)start, (void)end;
    return 0;
    /* LAB lazy STUB
    return alloc_policy_eager.reserved(as, r, start, end);
       LAB lazy END */
}

/* A program may grow its stack on demand, page by page, down to
 * RVOS_STACK_PAGES_MAX: reserving costs no frame. One that asked for a
 * smaller stack than the default on purpose (course programs: one page,
 * so that a load one page below the stack pointer faults, as the classic
 * tests expect) keeps exactly the layout it asked for. */
static uint32_t lazy_stack_pages(uint32_t asked)
{
    return asked < RVOS_STACK_PAGES_DEFAULT ? asked : RVOS_STACK_PAGES_MAX;
}

const struct alloc_policy alloc_policy_lazy = {"lazy", lazy_reserved, lazy_stack_pages};
