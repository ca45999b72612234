/* mmap/munmap and sbrk's lazy form: the user API's constants, shared by
 * the kernel and user programs (the classic mmap lab's values).
 *
 *   void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
 *   int munmap(void *addr, size_t len);
 *
 * addr is a hint only (there is no MAP_FIXED): the kernel uses it when it
 * is page aligned and the whole range is free, else it picks an address
 * below the stack. off must be page aligned. A mapping is always faulted
 * in lazily, under either allocation policy. */
#ifndef RVOS_ABI_MMAN_H
#define RVOS_ABI_MMAN_H

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

#define MAP_SHARED 0x01    /* stores reach the file (written back, dirty pages only) and are shared with children */
#define MAP_PRIVATE 0x02   /* stores stay private (copy-on-write against the file's bytes) */
#define MAP_ANONYMOUS 0x20 /* no file: zero-filled pages; fd is ignored */

#define MAP_FAILED ((void *)-1)

/* sbrk(n, how): the system call's second argument (the 2025 classic ABI).
 * SBRK_LAZY reserves address space only, whatever the allocation policy;
 * SBRK_EAGER (or anything else) does what the policy in force does. */
#define SBRK_EAGER 1
#define SBRK_LAZY 2
#endif
