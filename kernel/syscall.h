#ifndef RVOS_KERNEL_SYSCALL_H
#define RVOS_KERNEL_SYSCALL_H
#include <stdint.h>
struct trapframe;
void syscall_dispatch(struct trapframe *tf);
#endif
