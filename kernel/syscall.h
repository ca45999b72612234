#ifndef RVOS_KERNEL_SYSCALL_H
#define RVOS_KERNEL_SYSCALL_H
#include <stdint.h>
struct trapframe;
void syscall_dispatch(struct trapframe *tf);
/* The name of system call num, as trace reports it ("unknown" if none). */
const char *syscall_name(uint64_t num);
#endif
