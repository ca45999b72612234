/* The classic xv6 include path "kernel/types.h": the basic types course
 * programs expect. (C11 allows repeating an identical typedef.) */
#ifndef RVOS_COMPAT_KERNEL_TYPES_H
#define RVOS_COMPAT_KERNEL_TYPES_H
typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char uchar;
typedef unsigned char uint8;
typedef unsigned short uint16;
typedef unsigned int uint32;
typedef unsigned long uint64;
typedef uint64 pde_t;
#endif
