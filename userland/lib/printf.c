/* printf, fprintf and snprintf: %d %u %x %p %s %c %%, the l modifier, and
 * a field width with optional 0 padding. Output is buffered per call. */
#include <stdarg.h>
#include "user.h"

struct out {
    char *buf;
    int size, len;
    int fd; /* >= 0: flush to this fd when buf fills */
};

static void flush(struct out *o)
{
    if (o->fd >= 0 && o->len > 0) {
        write(o->fd, o->buf, o->len);
        o->len = 0;
    }
}

static void put(struct out *o, char c)
{
    if (o->fd >= 0 && o->len == o->size)
        flush(o);
    if (o->len < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, unsigned long v, int base, int neg, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg && pad == '0')
        put(o, '-');
    else if (neg)
        tmp[n++] = '-';
    for (int i = n + (neg && pad == '0'); i < width; i++)
        put(o, pad);
    while (n)
        put(o, tmp[--n]);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(o, *fmt);
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
            lng = 1, fmt++;
        switch (*fmt) {
        case 'd': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            put_num(o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            put_num(o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
            break;
        case 'x':
            put_num(o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
            break;
        case 'p':
            put(o, '0'), put(o, 'x');
            put_num(o, (unsigned long)va_arg(ap, void *), 16, 0, 16, '0');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = (int)strlen(s);
            for (int i = n; i < width; i++)
                put(o, ' ');
            while (*s)
                put(o, *s++);
            break;
        }
        case 'c':
            put(o, (char)va_arg(ap, int));
            break;
        case '%':
            put(o, '%');
            break;
        case 0:
            return;
        default:
            put(o, '%');
            put(o, *fmt);
        }
    }
}

void fprintf(int fd, const char *fmt, ...)
{
    char buf[256];
    struct out o = {buf, sizeof buf, 0, fd};
    va_list ap;
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    flush(&o);
}

void printf(const char *fmt, ...)
{
    char buf[256];
    struct out o = {buf, sizeof buf, 0, 1};
    va_list ap;
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    flush(&o);
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
    struct out o = {buf, size > 0 ? size - 1 : 0, 0, -1};
    va_list ap;
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    if (size > 0)
        buf[o.len < size - 1 ? o.len : size - 1] = 0;
    return o.len;
}
