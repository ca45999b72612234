/* Helpers shared by the in-guest benchmarks (forkbench, faultbench).
 *
 * Time: uptime_ns() reads the RISC-V time CSR (10 MHz on QEMU virt, so a
 * resolution of 100 ns). Under `qemu -icount shift=0` virtual time moves
 * one nanosecond per guest instruction, so a difference of two readings
 * is the number of instructions the hart retired in between, in every
 * process and in the kernel, interrupts included. Each figure is taken
 * over many operations so that the 100-tick resolution does not matter.
 *
 * Output: every result is one line starting with "BENCH", with integer
 * fields only (scripts/bench.sh divides); nothing else is parsed. */
#ifndef RVOS_BENCH_H
#define RVOS_BENCH_H
#include "user.h"
#include "rvos/exec.h"

#define BENCH_PAGE 4096UL
#define BENCH_IMAGE_BASE 0x10000UL                         /* where user.ld puts the text */
#define BENCH_STACK_PAGES (RVOS_STACK_PAGES_DEFAULT + 0UL) /* exec maps 64 KiB of stack */

/* The fork policy in force, as memstat reports it ("cow" or "copy"). */
static inline void bench_policy(char *out, int n)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    memstat(&ms);
    ms.fork_policy[sizeof ms.fork_policy - 1] = 0;
    int i = 0;
    for (; i < n - 1 && ms.fork_policy[i]; i++)
        out[i] = ms.fork_policy[i];
    out[i] = 0;
}

/* Pages this process has mapped: exec maps the image, the stack and the
 * heap eagerly (there are no demand-paged regions), so the layout alone
 * gives the count. forkbench cross-checks it under cow. */
static inline unsigned long bench_resident_pages(void)
{
    unsigned long brk = (unsigned long)sbrk(0);
    unsigned long top = (brk + BENCH_PAGE - 1) & ~(BENCH_PAGE - 1);
    return (top - BENCH_IMAGE_BASE) / BENCH_PAGE + BENCH_STACK_PAGES;
}

/* Grows the heap by `pages` pages and stores to each one. Returns the
 * first new page, or 0 if the kernel refused. */
static inline char *bench_grow(unsigned long pages)
{
    if (pages == 0)
        return sbrk(0);
    char *p = sbrk((int)(pages * BENCH_PAGE));
    if (p == (char *)-1)
        return 0;
    for (unsigned long i = 0; i < pages; i++)
        p[i * BENCH_PAGE] = (char)i;
    return p;
}

static inline int bench_streq(const char *a, const char *b) { return strcmp(a, b) == 0; }
#endif
