#ifndef RVOS_KERNEL_PRINTK_H
#define RVOS_KERNEL_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);
void printk_panic_mode(void); /* stop taking the printk lock */
/* Formats into buf (always NUL-terminated if size > 0); returns the length written. */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
#endif
