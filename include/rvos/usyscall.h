/* The USYSCALL page (lab pgtbl): one read-only page mapped into every user
 * address space at a fixed address, holding data about the process that a
 * user program may read without a system call (ugetpid). Shared by the
 * kernel and user programs.
 *
 * It sits in the page just above the user stack (USER_STACK_TOP in
 * arch/riscv/memlayout.h), below USER_TOP. It is readable and never
 * writable from user mode: a store there kills the process. */
#ifndef RVOS_ABI_USYSCALL_H
#define RVOS_ABI_USYSCALL_H

#define USYSCALL 0x0000003EFFFFF000UL

struct usyscall {
    int pid; /* the process's own pid */
};
#endif
