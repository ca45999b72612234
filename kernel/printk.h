#ifndef RVOS_KERNEL_PRINTK_H
#define RVOS_KERNEL_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated); returns the length written. */
int vsnformat(char *buf, size_t size, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int snformat(char *buf, size_t size, const char *fmt, ...);
void printk_panic_mode(void); /* stop taking the printk lock */
#endif
