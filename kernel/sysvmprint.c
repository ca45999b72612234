/* vmprint() (lab pgtbl): the caller's page-table tree, on the console and
 * into a buffer the caller can check. */
#include "proc.h"
#include "sysargs.h"
#include "textbuf.h"
#include "../mm/aspace.h"
#include "../mm/page.h"
#include "../mm/vm.h"
#include "../mm/vmprint.h"

/* vmprint(buf, n): prints the caller's page-table tree (mm/vmprint.c) on
 * the console and, if buf is not 0, into buf (n bytes, 1..4096,
 * NUL-terminated, truncated to fit). Returns the length of the whole text,
 * or -1 for a bad buffer or size. */
uint64_t sys_vmprint(void)
{
    uint64_t ubuf = arg_raw(0);
    int n = arg_int(1);
    struct proc *p = myproc();
    if (!ubuf) {
        struct textbuf tb = {0, 0, 0, 0};
        vmprint(&tb, p->as);
        return tb.len;
    }
    struct textbuf tb;
    if (tb_user_open(&tb, n) < 0)
        return SYSCALL_ERR;
    vmprint(&tb, p->as);
    return (uint64_t)tb_user_close(&tb, ubuf);
}

/* pgpte(va) (the current classic pgtbl lab): the caller's page-table entry
 * that maps va, a 4 KiB leaf or a larger one, as it is (flags, PTE_COW
 * included); 0 if nothing maps it, or va is not a user address. It reads
 * the table under the address space's lock, like vmprint. */
uint64_t sys_pgpte(void)
{
    uint64_t va = arg_raw(0);
    struct aspace *as = myproc()->as;
    if (va >= USER_TOP)
        return 0;
    pte_t pte = 0;
    spin_lock(&as->lock);
    pte_t *table = as->root;
    for (int level = 2; level >= 0; level--) {
        pte = table[VPN(va, level)];
        if (!(pte & PTE_V) || pte_is_leaf(pte))
            break;
        if (level == 0) { /* a table pointer where a leaf must be: nothing mapped */
            pte = 0;
            break;
        }
        table = pte_table(pte);
    }
    spin_unlock(&as->lock);
    return pte_is_leaf(pte) ? pte : 0;
}

/* kpgtbl() (the current classic pgtbl lab): prints the caller's page
 * table on the console in vmprint's format. The classic kernel's process
 * table also holds its trampoline and trap frame; rvos's user half holds
 * only the process's own pages (the kernel half, the same in every
 * address space, is not printed). Returns 0. */
uint64_t sys_kpgtbl(void)
{
    struct textbuf tb = {0, 0, 0, 0};
    vmprint(&tb, myproc()->as);
    return 0;
}
