#ifndef RVOS_KERNEL_PRINTK_H
#define RVOS_KERNEL_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);
void printk_panic_mode(void); /* stop taking the printk lock */
#endif
