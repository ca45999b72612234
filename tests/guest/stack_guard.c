/* The user stack is USERSTACK pages (kernel/param.h), with the guard
 * page right below: a read in its lowest page works, one byte lower kills
 * the reader. Under mm.alloc=lazy a program that asked for the default
 * stack or more reserves RVOS_STACK_PAGES_MAX pages instead, filled as it
 * grows (docs/mm.md), and the guard lies below those; one that asked for
 * fewer (course programs) keeps exactly its pages. Built twice: as one of
 * rvos's own programs (the default, 16 pages) and, as xv6_stack.c, the
 * way course programs are (the classic 1-page stack, where a read one
 * page below the stack pointer must fault: the stock usertests'
 * stacktest). */
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "testlib.h"

#ifndef STACK_GUARD_NAME
#define STACK_GUARD_NAME "stack_guard"
#define STACK_GUARD_PAGES RVOS_STACK_PAGES_DEFAULT
#endif

static int read_at(long addr)
{
    (void)*(volatile char *)addr;
    return 0;
}

int main(void)
{
    test_begin(STACK_GUARD_NAME);
    CHECK(USERSTACK == STACK_GUARD_PAGES, "USERSTACK is %d, this program asked for %d pages", USERSTACK,
          STACK_GUARD_PAGES);

    struct memstat ms;
    memstat(&ms);
    int grows = strcmp(ms.alloc_policy, "lazy") == 0 && STACK_GUARD_PAGES >= RVOS_STACK_PAGES_DEFAULT;
    uint64 pages = grows ? RVOS_STACK_PAGES_MAX : USERSTACK;

    /* main runs in the top page of the stack (the arguments are small) */
    uint64 sp = r_sp();
    uint64 lowest = PGROUNDDOWN(sp) - (pages - 1) * PGSIZE;
    CHECK(wait_status(spawn(read_at, (long)lowest)) == 0, "the lowest of %lu stack pages is usable", pages);
    CHECK(wait_status(spawn(read_at, (long)lowest - 1)) == -1, "the byte below the stack is in the guard page");

    /* usertests' stacktest: the COW-lab version reads USERSTACK pages below
     * the stack pointer, the stock one a single page below */
    if (!grows)
        CHECK(wait_status(spawn(read_at, (long)(sp - USERSTACK * PGSIZE))) == -1, "sp - USERSTACK pages faults");
    if (USERSTACK == 1)
        CHECK(wait_status(spawn(read_at, (long)(sp - PGSIZE))) == -1, "sp - 1 page faults (classic stack)");
    else
        CHECK(wait_status(spawn(read_at, (long)(sp - PGSIZE))) == 0, "sp - 1 page is stack");
    return test_end();
}
