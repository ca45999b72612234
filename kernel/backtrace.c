/* Kernel backtraces (lab traps). The kernel is built with
 * -fno-omit-frame-pointer: every function's prologue saves the return
 * address and the caller's frame pointer just below the address fp (s0)
 * points at, so the frames form a chain from the innermost outwards. */
#include "backtrace.h"
#include "ksyms.h"
#include "panic.h"
#include "proc.h"
#include "sysargs.h"
#include "textbuf.h"
#include "../mm/page.h"
#include "../mm/vm.h"

extern char _kernel_start[], _kernel_end[];

#define BACKTRACE_MAX 24

/* With GCC's RISC-V frame layout the return address is at fp-8 and the
 * caller's fp at fp-16. A frame pointer is only followed while it points
 * into kernel memory (the image, whose .stacks section holds the boot
 * stacks, or the direct map just above it, or the process kernel stacks
 * at KSTACK_BASE, arch/riscv/memlayout.h) and is 16-byte aligned (psABI:
 * sp is always 16-byte aligned); a return address only while it lies in
 * the kernel's text. The chain ends where trap.S zeroed fp on entry from
 * user mode, or at the first frame that fails these checks; the next frame
 * is always higher up the stack than the one before. */
int backtrace_walk(uint64_t fp, uint64_t *pcs, int max)
{
    /* LAB traps BEGIN: follow the saved frame pointers; store each return address in pcs, innermost first */
    int n = 0;
    while (n < max) {
        int image = fp >= (uint64_t)_kernel_start && fp < (uint64_t)_kernel_end + (64UL << 20);
        int stacks = fp >= KSTACK_BASE && fp < KSTACK_BASE + KSTACK_AREA;
        if (!(image || stacks) || (fp & 15))
            break;
        uint64_t ra = ((uint64_t *)fp)[-1];
        uint64_t prev = ((uint64_t *)fp)[-2];
        if (ra < (uint64_t)_kernel_start || ra >= (uint64_t)_kernel_end)
            break;
        pcs[n++] = ra;
        if (prev <= fp)
            break;
        fp = prev;
    }
    return n;
    /* LAB traps STUB
    (void)fp, (void)pcs, (void)max;
    return 0;
       LAB traps END */
}

/* pc is printed; the line is line_pc's (see backtrace_print). */
static void print_frame(struct textbuf *tb, int depth, uint64_t pc, uint64_t line_pc)
{
    uint64_t off = 0;
    unsigned line = 0;
    const char *name = ksym_lookup(pc, &off), *file = kline_lookup(line_pc, &line);
    if (name)
        tb_printf(tb, "  #%d %p %s+0x%lx", depth, (void *)pc, name, off);
    else
        tb_printf(tb, "  #%d %p", depth, (void *)pc);
    if (file)
        tb_printf(tb, " %s:%u", file, line);
    tb_printf(tb, "\n");
}

void backtrace_print(struct textbuf *tb, uint64_t fp, uint64_t pc)
{
    uint64_t pcs[BACKTRACE_MAX];
    int depth = 0;
    tb_printf(tb, "backtrace:\n");
    if (pc)
        print_frame(tb, depth++, pc, pc);
    int n = backtrace_walk(fp, pcs, BACKTRACE_MAX);
    /* A return address is the instruction after the call: name the call.
     * Its line is that of ra - 2, inside the call whether it took 4 bytes
     * or 2 (c.jalr); ra - 4 may be the instruction before a short call. */
    for (int i = 0; i < n; i++)
        print_frame(tb, depth++, pcs[i] - 4, pcs[i] - 2);
}

void backtrace_from(uint64_t fp, uint64_t pc) { backtrace_print(0, fp, pc); }

/* noinline: fp must be this function's own frame, whose saved return
 * address is in the caller. */
static __attribute__((noinline)) void backtrace_here(struct textbuf *tb)
{
    uint64_t fp;
    __asm__ volatile("mv %0, fp" : "=r"(fp));
    backtrace_print(tb, fp, 0);
}

void backtrace(void) { backtrace_here(0); }

/* A known chain of frames for the test: depth nested calls of this
 * function under sys_kbacktrace. noipa: no inlining, and no clone under
 * another name; the volatile read after the call keeps the compiler from
 * turning the recursion into a loop or a tail call. */
static __attribute__((noipa)) int backtrace_probe(int depth, struct textbuf *tb)
{
    volatile int here = depth;
    int r = depth ? backtrace_probe(depth - 1, tb) : (backtrace_here(tb), 0);
    return r + here;
}

/* kbacktrace(buf, n, depth): prints the kernel backtrace of this very
 * system call, taken depth + 1 calls of backtrace_probe deep (depth 0..8),
 * on the console and into buf (n bytes, NUL-terminated, truncated to fit).
 * Returns the length of the whole text, or -1 (bad arguments or buffer). */
uint64_t sys_kbacktrace(void)
{
    uint64_t ubuf = arg_raw(0);
    int n = arg_int(1), depth = arg_int(2);
    struct textbuf tb;
    if (depth < 0 || depth > 8 || tb_user_open(&tb, n) < 0)
        return SYSCALL_ERR;
    backtrace_probe(depth, &tb);
    return (uint64_t)tb_user_close(&tb, ubuf);
}
