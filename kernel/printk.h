#ifndef RVOS_KERNEL_PRINTK_H
#define RVOS_KERNEL_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
__attribute__((format(printf, 1, 2))) void printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);
void printk_panic_mode(void); /* stop taking the printk lock */
/* Formats into buf (always NUL-terminated if size > 0); returns the length written. */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
/* Messages a user can cause again and again (a damaged block read in a
 * loop, say) go through printk_limited: per call site, at most
 * PRINTK_BURST in any one-second window; the rest are counted, and the
 * count is printed before the next message let through. */
#include <stdint.h>
#define PRINTK_BURST 5
struct printk_limit {
    uint64_t window; /* the second (clock_ns / 1e9) the burst counts in */
    int printed;     /* messages let through in it */
    uint64_t dropped;
};
int printk_allow(struct printk_limit *l);
#define printk_limited(...)                                                                                            \
    do {                                                                                                               \
        static struct printk_limit printk_limit_;                                                                      \
        if (printk_allow(&printk_limit_))                                                                              \
            printk(__VA_ARGS__);                                                                                       \
    } while (0)
#endif
