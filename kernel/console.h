#ifndef RVOS_KERNEL_CONSOLE_H
#define RVOS_KERNEL_CONSOLE_H
#include <stdint.h>
void console_init(void);
void console_input(int c); /* a byte from the UART (interrupt context) */
/* Reads up to n bytes into the user or kernel buffer dst; blocks until a
 * line (or ^D) is available. Returns the count, or -1 if killed/bad dst. */
int console_read(uint64_t dst, int n, int user);
int console_write(uint64_t src, int n, int user);
#endif
