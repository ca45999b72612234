/* Trap dispatch for traps taken in the kernel and the device interrupts
 * shared with user traps (kernel/usertrap.c). */
#include "trap.h"
#include "backtrace.h"
#include "cpu.h"
#include "panic.h"
#include "platform.h"
#include "printk.h"
#include "proc.h"
#include "textbuf.h"
#include "../arch/riscv/csr.h"
#include "../arch/riscv/sbi.h"
#include "../arch/riscv/trap.h"
#include "../drivers/plic.h"
#include "../drivers/uart.h"
#include "../drivers/virtio_blk.h"

extern char trap_vector[];
uint64_t timer_interval;

/* Each hart reports a kernel stack overflow from a small stack of its
 * own: the overflowed one ends in an unmapped guard page. */
static uint8_t emergency_stacks[MAX_HARTS][2048] __attribute__((aligned(16)));
extern char boot_stacks[];

void trap_init_stacks(uint64_t hartid)
{
    struct cpu *c = mycpu();
    c->emergency_sp = (uint64_t)emergency_stacks[c - cpus] + sizeof emergency_stacks[0];
    c->kstack_guard = (uint64_t)boot_stacks + hartid * KSTACK_SLOT; /* entry.S picked this slot */
}

/* trap.S comes here, on the emergency stack, when a kernel trap finds sp
 * in or just above the guard page of the stack the hart runs on. */
void kstack_overflow_panic(uint64_t sepc, uint64_t stval, uint64_t scause, uint64_t fp)
{
    /* Walk the frames only from where they are readable. */
    if (fp < mycpu()->kstack_guard + PAGE_SIZE + 16)
        fp = 0;
    panic_trap("kernel stack overflow (guard page hit)", scause, sepc, stval, fp);
}

void trap_init_hart(void)
{
    csr_write(sscratch, 0); /* 0 = "this hart is in the kernel" */
    csr_write(stvec, (uint64_t)trap_vector);
    csr_set(sie, SIE_SEIE | SIE_STIE | SIE_SSIE);
}

/* With Sstc the kernel writes stimecmp itself (Sstc spec, "stimecmp");
 * without it, it asks the firmware through the SBI TIME extension. */
#define CSR_STIMECMP 0x14D
/* Each hart's next timer deadline. A deadline follows the previous one,
 * not the moment the interrupt was taken: taken late (interrupts were off
 * for a while), the next one comes that much sooner, so no tick is lost
 * and uptime keeps time. A hart further behind than TIMER_RESYNC periods
 * (its first arming, or a machine stopped in a debugger) starts afresh
 * from now rather than take a burst of interrupts. */
#define TIMER_RESYNC 100
static uint64_t deadline[MAX_HARTS];

void timer_arm(void)
{
    int i = mycpu()->index;
    uint64_t now = rdtime(), when = deadline[i] + timer_interval;
    if (!deadline[i] || when + TIMER_RESYNC * timer_interval < now)
        when = now + timer_interval;
    deadline[i] = when;
    if (platform.hart_sstc[mycpu()->index])
        __asm__ volatile("csrw %0, %1" ::"i"(CSR_STIMECMP), "r"(when));
    else
        sbi_set_timer(when);
}

static void external_intr(void)
{
    int ctx = platform.hart_plic_context[mycpu()->index];
    uint32_t irq = plic_claim(ctx);
    if (irq == platform.uart_irq)
        uart_intr();
    else if (irq && !virtio_blk_intr(irq))
        printk("unexpected external interrupt %u\n", irq);
    if (irq)
        plic_complete(ctx, irq);
}

/* scause as the privileged spec names it (4.1.8, Table 4.2). */
const char *scause_name(uint64_t cause)
{
    if (cause & SCAUSE_INTR) {
        switch (cause & ~SCAUSE_INTR) {
        case IRQ_S_SOFT:
            return "supervisor software interrupt";
        case IRQ_S_TIMER:
            return "supervisor timer interrupt";
        case IRQ_S_EXT:
            return "supervisor external interrupt";
        default:
            return "interrupt";
        }
    }
    switch (cause) {
    case EXC_INST_MISALIGNED:
        return "misaligned instruction";
    case EXC_INST_ACCESS:
        return "instruction access fault";
    case EXC_ILLEGAL_INST:
        return "illegal instruction";
    case EXC_BREAKPOINT:
        return "breakpoint";
    case EXC_LOAD_MISALIGNED:
        return "misaligned load";
    case EXC_LOAD_ACCESS:
        return "load access fault";
    case EXC_STORE_MISALIGNED:
        return "misaligned store";
    case EXC_STORE_ACCESS:
        return "store access fault";
    case EXC_ECALL_U:
        return "environment call from U-mode";
    case 9:
        return "environment call from S-mode";
    case EXC_INST_PAGE_FAULT:
        return "instruction page fault";
    case EXC_LOAD_PAGE_FAULT:
        return "load page fault";
    case EXC_STORE_PAGE_FAULT:
        return "store page fault";
    default:
        return "exception";
    }
}

/* ^P's report of every hart (hart_dump_all, from the console): the hart
 * that took the key sends every online hart an IPI, itself included (it
 * answers once it is out of the console's interrupt, about what that
 * interrupted), and each, at its next trap with interrupts on, says where
 * it was. One bit per cpu index. A hart spinning with interrupts off
 * never answers: its silence says so. */
static uint32_t dump_asked;

void hart_dump_all(void)
{
    printk("hart %u: took ^P; asking every hart where it is:", mycpu()->hartid);
    for (int i = 0; i < ncpu; i++) {
        if (!cpus[i].online)
            continue;
        printk(" %u", cpus[i].hartid);
        __atomic_fetch_or(&dump_asked, 1U << i, __ATOMIC_RELAXED);
        sbi_send_ipi(1UL << cpus[i].hartid, 0);
    }
    printk(" (a hart that does not answer runs with interrupts off)\n");
}

/* If ^P asked this hart: where tf (its trap from user mode, or from the
 * kernel) interrupted it, with the kernel backtrace for the latter. */
void device_intr_report(const struct trapframe *tf, int from_user)
{
    struct cpu *c = mycpu();
    if (!(__atomic_fetch_and(&dump_asked, ~(1U << c->index), __ATOMIC_RELAXED) & (1U << c->index)))
        return;
    /* Written into a buffer and printed at once: the harts answer
     * together, and their lines must not interleave. */
    char text[768];
    struct textbuf tb = {text, sizeof text, 0, 1};
    struct proc *p = c->proc;
    if (from_user)
        tb_printf(&tb, "hart %u: user mode, pid %d (%s), pc %lx\n", c->hartid, p ? p->pid : 0, p ? p->name : "?",
                  tf->sepc);
    else if (p)
        tb_printf(&tb, "hart %u: in the kernel for pid %d (%s), ", c->hartid, p->pid, p->name);
    else
        tb_printf(&tb, "hart %u: in the kernel, no process (%s), ", c->hartid, c->idle ? "idle" : "scheduler");
    if (!from_user)
        backtrace_print(&tb, tf->x[TF_FP], tf->sepc);
    printk("%s", text);
}

int device_intr(uint64_t scause)
{
    if (!(scause & SCAUSE_INTR))
        return INTR_NONE;
    uint64_t code = scause & ~SCAUSE_INTR;
    if (code == IRQ_S_TIMER) {
        mycpu()->ticks++;
        if (mycpu()->index == 0)
            clock_tick();
        timer_arm();
        return INTR_TIMER;
    }
    if (code == IRQ_S_EXT) {
        external_intr();
        return INTR_DEVICE;
    }
    if (code == IRQ_S_SOFT) {
        csr_clear(sip, 1UL << IRQ_S_SOFT);
        return INTR_DEVICE;
    }
    return INTR_NONE;
}

void kernel_trap(struct trapframe *tf)
{
    uint64_t scause = csr_read(scause);
    /* trap.S came here because sscratch was 0, which must mean the trap
     * came from S-mode (sstatus.SPP = 1); anything else is a kernel bug. */
    if (!(tf->sstatus & SSTATUS_SPP))
        panic("kernel_trap: trap from user mode on the kernel path");
    int kind = device_intr(scause);
    if (kind == INTR_NONE) {
        panic_trap("unexpected trap in the kernel", scause, tf->sepc, csr_read(stval), tf->x[TF_FP]);
    }
    if (kind == INTR_DEVICE)
        device_intr_report(tf, 0);
    /* Preempt a process running in the kernel on a timer tick. */
    if (kind == INTR_TIMER && myproc() && myproc()->state == PROC_RUNNING) {
        yield();
        /* trap.S restores sstatus from the frame, but whose f registers
         * this hart holds may have changed meanwhile (kernel/fpu.c): keep
         * the FS the switch back set, not the one saved at the trap. */
        tf->sstatus = (tf->sstatus & ~SSTATUS_FS_MASK) | (csr_read(sstatus) & SSTATUS_FS_MASK);
    }
}
