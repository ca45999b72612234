#ifndef RVOS_KERNEL_CONSOLE_H
#define RVOS_KERNEL_CONSOLE_H
#include <stdint.h>
void console_init(void);
void console_input(int c); /* a byte from the UART (interrupt context) */
/* Reads up to n bytes into the current process's buffer at dst; blocks
 * until a line (or ^D) is available. Returns the count, or -1 if killed or
 * dst is bad. */
int console_read(uint64_t dst, int n);
/* Writes n bytes from the current process's buffer at src to the UART. */
int console_write(uint64_t src, int n);
/* consmode(): CONS_LINE or CONS_RAW for the calling process; returns the
 * previous mode, or -1 (CONS_RAW asked by a process outside the
 * foreground job). */
int console_set_mode(int mode);
/* The job ^C kills (0: none); returns the previous one, or -1 if the
 * caller's job does not hold the console (a background job): only the
 * foreground job, or a job that handed it the foreground, may. */
int console_set_foreground(int job);
/* Whether the caller may join job: not a job holding the console unless
 * the caller's own job holds it too (a background process cannot make
 * itself part of the foreground). */
int console_may_join(int job);
/* The process is exiting: it no longer holds raw mode. */
void console_proc_exit(int pid);
#endif
