/* The classic xv6 include path "kernel/fcntl.h". The classic mmap lab
 * defines PROT_* and MAP_SHARED/MAP_PRIVATE here, so they are here too
 * (with MAP_ANONYMOUS), from the ABI header user.h also includes. */
#include "rvos/fcntl.h"
#include "rvos/mman.h"
