/* vmprint() (lab pgtbl): the caller's page-table tree, on the console and
 * into a buffer the caller can check. */
#include "proc.h"
#include "sysargs.h"
#include "textbuf.h"
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
