/* Traps from user mode: system calls, page faults, interrupts, and every
 * other exception (which kills the process, never the kernel). */
#include "fpu.h"
#include "proc.h"
#include "printk.h"
#include "syscall.h"
#include "trap.h"
#include "../arch/riscv/csr.h"
#include "../mm/vm.h"

/* Everything but a system call: interrupts, page faults and the
 * exceptions that kill. Out of line, so that the system-call path in
 * user_trap stays short. */
static __attribute__((noinline)) void user_trap_other(struct trapframe *tf, uint64_t scause)
{
    struct proc *p = myproc();
    uint64_t stval = csr_read(stval);
    int kind = INTR_NONE;
    if ((scause & SCAUSE_INTR) && (kind = device_intr(scause)) != INTR_NONE) {
        if (kind == INTR_DEVICE)
            device_intr_report(tf, 1);
    } else if (scause == EXC_ILLEGAL_INST && fpu_lazy_load(p)) {
        /* an f instruction with FS Off: p's registers are loaded now, and
         * sret runs the instruction again */
    } else if (scause == EXC_LOAD_PAGE_FAULT || scause == EXC_STORE_PAGE_FAULT || scause == EXC_INST_PAGE_FAULT) {
        enum vm_access acc = scause == EXC_STORE_PAGE_FAULT  ? VM_WRITE
                             : scause == EXC_LOAD_PAGE_FAULT ? VM_READ
                                                             : VM_EXEC;
        /* Interrupts stay off: a fault that fills a page from a file
         * sleeps, and sleep keeps each process's interrupt state (as the
         * first process's exec does), so turning them on here would only
         * cost the COW fault its csrs. */
        enum vm_result r = vm_fault(p->as, stval, acc);
        if (r != VM_OK) {
            printk("pid %d (%s): %s at %lx, pc %lx: %s, killed\n", p->pid, p->name, scause_name(scause), stval,
                   tf->sepc, r == VM_NO_MEMORY ? "out of memory" : "bad address");
            proc_set_killed(p);
        }
    } else {
        printk("pid %d (%s): %s (scause %lx) at pc %lx, stval %lx, killed\n", p->pid, p->name, scause_name(scause),
               scause, tf->sepc, stval);
        proc_set_killed(p);
    }
    if (proc_killed(p))
        proc_exit(proc_exit_status_killed(p));
    if (kind == INTR_TIMER) {
        alarm_tick(tf); /* lab traps */
        yield();
    }
}

/* The way back to user mode, shared by user_trap and user_trap_return. */
static inline __attribute__((always_inline, noreturn)) void trap_return(struct proc *p)
{
    intr_off();
    p->tf.kernel_sp = (uint64_t)(p->kstack + KSTACK_SIZE);
    /* sret to user mode (SPP = 0) with interrupts enabled there (SPIE). */
    uint64_t s = csr_read(sstatus);
    s &= ~SSTATUS_SPP;
    s |= SSTATUS_SPIE;
    csr_write(sstatus, s);
    user_return(&p->tf);
}

void user_trap(struct trapframe *tf)
{
    uint64_t scause = csr_read(scause);
    if (scause == EXC_ECALL_U) {
        tf->sepc += 4;
        intr_on();
        syscall_dispatch(tf);
    } else {
        user_trap_other(tf, scause);
    }
    struct proc *p = myproc();
    if (proc_killed(p))
        proc_exit(proc_exit_status_killed(p));
    trap_return(p);
}

void user_trap_return(void) { trap_return(myproc()); }
