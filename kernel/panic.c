#include "panic.h"
#include "printk.h"
#include "ksyms.h"
#include "cpu.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/memlayout.h"
#include "../drivers/finisher.h"

extern char _kernel_start[], _kernel_end[];
static volatile int panicked;

static void print_frame(int depth, uint64_t pc)
{
    uint64_t off = 0;
    const char *name = ksym_lookup(pc, &off);
    if (name)
        printk("  #%d %p %s+0x%lx\n", depth, (void *)pc, name, off);
    else
        printk("  #%d %p\n", depth, (void *)pc);
}

static int on_kernel_stack(uint64_t fp)
{
    /* Frame pointers must point into kernel memory, 16-byte aligned. */
    return fp >= (uint64_t)_kernel_start && fp < (uint64_t)_kernel_end + (64UL << 20) && (fp & 15) == 0;
}

/* With -fno-omit-frame-pointer the RISC-V GCC frame keeps the return
 * address at fp-8 and the caller's fp at fp-16. */
void backtrace_from(uint64_t fp, uint64_t pc)
{
    printk("backtrace:\n");
    print_frame(0, pc);
    for (int depth = 1; depth < 24 && on_kernel_stack(fp); depth++) {
        uint64_t ra = ((uint64_t *)fp)[-1];
        uint64_t prev = ((uint64_t *)fp)[-2];
        if (ra < (uint64_t)_kernel_start || ra >= (uint64_t)_kernel_end)
            break;
        print_frame(depth, ra - 4);
        if (prev <= fp)
            break;
        fp = prev;
    }
}

static void enter_panic(void)
{
    intr_off();
    printk_panic_mode();
    if (__atomic_exchange_n(&panicked, 1, __ATOMIC_SEQ_CST)) {
        for (;;) /* another hart is already panicking: let it report */
            wfi();
    }
}

void panic(const char *fmt, ...)
{
    enter_panic();
    va_list ap;
    va_start(ap, fmt);
    printk("\nkernel panic on hart %u: ", mycpu()->hartid);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n  scause=%lx sepc=%lx stval=%lx\n", csr_read(scause), csr_read(sepc), csr_read(stval));
    uint64_t fp;
    __asm__ volatile("mv %0, fp" : "=r"(fp));
    backtrace_from(fp, (uint64_t)__builtin_return_address(0));
    machine_poweroff(PANIC_EXIT_STATUS);
}

void panic_trap(const char *why, uint64_t scause, uint64_t sepc, uint64_t stval, uint64_t fp)
{
    enter_panic();
    printk("\nkernel panic on hart %u: %s\n  scause=%lx sepc=%lx stval=%lx\n", mycpu()->hartid, why, scause, sepc,
           stval);
    backtrace_from(fp, sepc);
    machine_poweroff(PANIC_EXIT_STATUS);
}
