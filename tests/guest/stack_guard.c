/* The user stack is exactly USERSTACK pages (kernel/param.h), with the
 * guard page right below: a read in its lowest page works, one byte lower
 * kills the reader. Under a lazy allocation policy a program that asked
 * for the default stack or more may grow it on demand down to
 * RVOS_STACK_PAGES_MAX pages, and the guard is below that; one that
 * asked for fewer (course programs) keeps exactly its pages (lazy_stack
 * checks the growth itself). Built twice: as one of rvos's own programs
 * (the default, 16 pages) and, as xv6_stack.c, the way course programs
 * are (the classic 1-page stack, where a read one page below the stack
 * pointer must fault: the stock usertests' stacktest). */
#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "rvos/exec.h"
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

    /* main runs in the top page of the stack (the arguments are small) */
    uint64 sp = r_sp();
    int grows = alloc_lazy() && STACK_GUARD_PAGES >= RVOS_STACK_PAGES_DEFAULT;
    int pages = grows ? RVOS_STACK_PAGES_MAX : USERSTACK;
    uint64 lowest = PGROUNDDOWN(sp) - (uint64)(pages - 1) * PGSIZE;
    CHECK(wait_status(spawn(read_at, (long)lowest)) == 0, "the lowest of %d stack pages is mapped", pages);
    CHECK(wait_status(spawn(read_at, (long)lowest - 1)) == -1, "the byte below the stack is in the guard page");
    if (grows)
        return test_end(); /* the classic probes below assume a fixed stack */

    /* usertests' stacktest: the COW-lab version reads USERSTACK pages below
     * the stack pointer, the stock one a single page below */
    CHECK(wait_status(spawn(read_at, (long)(sp - USERSTACK * PGSIZE))) == -1, "sp - USERSTACK pages faults");
    if (USERSTACK == 1)
        CHECK(wait_status(spawn(read_at, (long)(sp - PGSIZE))) == -1, "sp - 1 page faults (classic stack)");
    else
        CHECK(wait_status(spawn(read_at, (long)(sp - PGSIZE))) == 0, "sp - 1 page is stack");
    return test_end();
}
