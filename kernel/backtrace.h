/* Kernel backtraces (lab traps): the chain of saved frame pointers, from
 * any kernel code, printed with the names kernel/ksyms.c knows. */
#ifndef RVOS_KERNEL_BACKTRACE_H
#define RVOS_KERNEL_BACKTRACE_H
#include <stdint.h>
struct textbuf;

/* Follows the frame-pointer chain from the frame fp points at; stores up
 * to max return addresses in pcs, innermost first, and returns how many. */
int backtrace_walk(uint64_t fp, uint64_t *pcs, int max);
/* Prints "backtrace:", then pc (if not 0) as frame #0, then the frames
 * backtrace_walk finds from fp, into tb (0: the console). */
void backtrace_print(struct textbuf *tb, uint64_t fp, uint64_t pc);
/* The caller's backtrace, on the console: callable from anywhere. */
void backtrace(void);
#endif
