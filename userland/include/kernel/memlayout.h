/* The classic xv6 include path "kernel/memlayout.h", for user programs:
 * where RAM is in physical memory. On QEMU's virt machine RAM starts at
 * KERNBASE and ends at PHYSTOP, and PHYSTOP - KERNBASE is its size, which
 * course programs use to size themselves to the machine (cowtest
 * allocates two thirds of it). The build passes RVOS_RAM_MIB, the guest
 * RAM `ninja run` and ctest boot with (RVOS_MEM).
 *
 * rvos's kernel does not run at these addresses (it runs in the upper
 * half, see docs/architecture.md, 3.2); a user program that reads them
 * faults, as usertests' kernmem expects.
 *
 * TRAMPOLINE and TRAPFRAME keep their classic values, the top two pages
 * below MAXVA. rvos has neither page (traps need no trampoline), and
 * those addresses lie above everything rvos maps for a user program
 * (USER_TOP, 252 GiB), so an access to them faults: the classic tests
 * use them as addresses a program must not be able to touch. The device
 * addresses of the classic layout have no meaning for user programs here
 * and are not defined. */
#ifndef RVOS_COMPAT_KERNEL_MEMLAYOUT_H
#define RVOS_COMPAT_KERNEL_MEMLAYOUT_H
#ifndef RVOS_RAM_MIB
#define RVOS_RAM_MIB 128
#endif
#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + RVOS_RAM_MIB * 1024L * 1024)
#define TRAMPOLINE ((1L << (9 + 9 + 9 + 12 - 1)) - 4096) /* MAXVA - PGSIZE */
#define TRAPFRAME (TRAMPOLINE - 4096)
#endif
