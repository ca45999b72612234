/* Kernel formatted output to the console. One lock keeps lines from
 * different harts from interleaving; panic drops it so that a hart that
 * panics while another holds it still gets its message out. */
#include "printk.h"
#include "clock.h"
#include "spinlock.h"
#include "../drivers/uart.h"
#include <stdint.h>

static struct spinlock printk_lock = {0, "printk", 0};
static volatile int panicking;

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, uint64_t v, int base, int neg, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    for (int i = n; i < width; i++)
        put(o, pad);
    while (n)
        put(o, tmp[--n]);
}

/* Formats into buf (always NUL-terminated); returns the length written. */
static int vsnformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0;
        if (*fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            lng++, fmt++;
        switch (*fmt) {
        case 'd': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            put_num(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, 0, width, pad);
            break;
        case 'x':
            put_num(&o, lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 0, width, pad);
            break;
        case 'p':
            put(&o, '0'), put(&o, 'x');
            put_num(&o, (uint64_t)va_arg(ap, void *), 16, 0, 16, '0');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = 0;
            for (s = s ? s : "(null)"; s[n]; n++)
                ;
            for (int i = n; i < width; i++)
                put(&o, ' ');
            while (*s)
                put(&o, *s++);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            put(&o, '%');
            break;
        case 0:
            fmt--;
            break;
        default:
            put(&o, '%'), put(&o, *fmt);
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)(o.len < size ? o.len : (size ? size - 1 : 0));
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnformat(buf, sizeof buf, fmt, ap);
    int locked = !panicking;
    if (locked)
        spin_lock(&printk_lock);
    for (int i = 0; i < n; i++) {
        if (buf[i] == '\n')
            uart_putc_sync('\r');
        uart_putc_sync(buf[i]);
    }
    if (locked)
        spin_unlock(&printk_lock);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void printk_panic_mode(void) { panicking = 1; }

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap) { return vsnformat(buf, size, fmt, ap); }

static struct spinlock limit_lock = {0, "printk_limit", 0};

int printk_allow(struct printk_limit *l)
{
    uint64_t now = clock_ns() / 1000000000UL, dropped = 0;
    spin_lock(&limit_lock);
    if (now != l->window) {
        l->window = now;
        l->printed = 0;
    }
    int ok = l->printed < PRINTK_BURST;
    if (ok) {
        l->printed++;
        dropped = l->dropped;
        l->dropped = 0;
    } else {
        l->dropped++;
    }
    spin_unlock(&limit_lock);
    if (dropped)
        printk("(%lu more like the next message were not printed)\n", dropped);
    return ok;
}
