#include "panic.h"
#include "printk.h"
#include "trap.h"
#include "cpu.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/memlayout.h"
#include "../drivers/finisher.h"

static volatile int panicked;

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
    uint64_t cause = csr_read(scause);
    printk("\n  scause=%lx (%s, the last trap) sepc=%lx stval=%lx\n", cause, scause_name(cause), csr_read(sepc),
           csr_read(stval));
    uint64_t fp;
    __asm__ volatile("mv %0, fp" : "=r"(fp));
    backtrace_from(fp, 0); /* from panic's own frame: its caller first */
    machine_poweroff(PANIC_EXIT_STATUS);
}

void panic_trap(const char *why, uint64_t scause, uint64_t sepc, uint64_t stval, uint64_t fp)
{
    enter_panic();
    printk("\nkernel panic on hart %u: %s\n  scause=%lx (%s) sepc=%lx stval=%lx\n", mycpu()->hartid, why, scause,
           scause_name(scause), sepc, stval);
    backtrace_from(fp, sepc);
    machine_poweroff(PANIC_EXIT_STATUS);
}
