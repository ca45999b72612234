/* The kernel's own symbol table, for backtraces. The build links the
 * kernel twice: the second link adds a table generated from the first
 * (cmake/ksyms.cmake), placed last in the image so no address moves. */
#ifndef RVOS_KERNEL_KSYMS_H
#define RVOS_KERNEL_KSYMS_H
#include <stdint.h>
/* Name of the function containing pc and pc's offset in it, or 0. */
const char *ksym_lookup(uint64_t pc, uint64_t *offset);
/* The source file (base name) and line of the instruction at pc, from
 * the build's line table, or 0. */
const char *kline_lookup(uint64_t pc, unsigned *line);
#endif
