/* printf, fprintf and snprintf: %d %u %x %p %s %c %%, the l modifier, and
 * a field width with optional 0 padding.
 *
 * printf and fprintf gather a call's output in a buffer and write it at
 * once, so that lines from different processes do not mix (up to OUTBUF
 * bytes; a longer one goes out in OUTBUF pieces). Where that buffer is
 * depends on how deep the caller's stack is:
 *
 *   - less than SHALLOW bytes below the top of the stack (the USYSCALL
 *     page): on the stack, which has room there even when it is the
 *     classic 1-page one. Its page is the process's own, so a process
 *     that has used up memory can still print.
 *   - deeper: a static buffer, because course programs run on the classic
 *     1-page stack and a student's recursive primes calls printf some 59
 *     frames deep. The formatting makes no calls (numbers go straight
 *     into the buffer, write is an ecall in line), so it keeps its state
 *     in registers it need not save, and printf needs about 160 bytes of
 *     stack there (the classic byte-at-a-time one about 270;
 *     tests/guest/xv6_primes.c measures it). Each process has its own
 *     copy of the buffer (fork copies it empty: every call flushes before
 *     it returns); a printf that interrupts another in the same process
 *     (an alarm handler, lab traps) finds it busy and uses a small one on
 *     its stack instead. User-level threads, whose stacks are not below
 *     USYSCALL, use the static buffer too.
 */
#include <stdarg.h>
#include "user.h"
#include "rvos/syscall.h"
#include "rvos/usyscall.h"

#define OUTBUF 256
#define NESTED_OUTBUF 64
#define SHALLOW 2048

static char outbuf[OUTBUF];
static volatile int outbuf_busy;

struct out {
    char *buf;
    int size, len;
    int fd; /* >= 0: flush to this fd when buf fills */
};

/* write(2) as an ecall in line, not a call of the stub: a call inside
 * format's loop would make the compiler keep its dozen live values in
 * callee-saved registers and save them all on the stack, where the
 * ecall clobbers a0 alone (the kernel restores every other register). */
static inline void flush(struct out *o)
{
    if (o->fd >= 0 && o->len > 0) {
        register long a0 __asm__("a0") = o->fd;
        register long a1 __asm__("a1") = (long)o->buf;
        register long a2 __asm__("a2") = o->len;
        register long a7 __asm__("a7") = SYS_write;
        __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
        o->len = 0;
    }
}

static inline void put(struct out *o, char c)
{
    if (o->fd >= 0 && o->len == o->size)
        flush(o);
    if (o->len < o->size)
        o->buf[o->len] = c;
    o->len++;
}

/* The digits go out most significant first, by dividing by the largest
 * power of base not above v: no array of digits on the stack. */
static inline __attribute__((always_inline)) void put_num(struct out *o, unsigned long v, unsigned base, int neg,
                                                          int width, char pad)
{
    unsigned long top = 1;
    int n = 1;
    while (v / top >= base)
        top *= base, n++;
    if (neg && pad == '0')
        put(o, '-');
    for (int i = n + neg; i < width; i++)
        put(o, pad);
    if (neg && pad != '0')
        put(o, '-');
    for (; top; top /= base)
        put(o, "0123456789abcdef"[v / top % base]);
}

static inline __attribute__((always_inline)) void format(struct out *o, const char *fmt, va_list ap)
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
            int n = 0;
            while (s[n]) /* not strlen: no calls in this loop (flush) */
                n++;
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

/* format out of line, for the paths where stack is not short: one copy
 * of it here, the other in out_fd. */
static __attribute__((noinline)) void format_out(struct out *o, const char *fmt, va_list ap) { format(o, fmt, ap); }

/* A printf near the top of the stack (see the top): the buffer on the
 * stack, only on this path. */
static __attribute__((noinline)) void out_stack(int fd, const char *fmt, va_list ap)
{
    char buf[OUTBUF];
    struct out o = {buf, sizeof buf, 0, fd};
    format_out(&o, fmt, ap);
    flush(&o);
}

/* A printf that interrupted another deep in the stack (see the top): a
 * small buffer on the stack. */
static __attribute__((noinline)) void out_nested(int fd, const char *fmt, va_list ap)
{
    char buf[NESTED_OUTBUF];
    struct out o = {buf, sizeof buf, 0, fd};
    format_out(&o, fmt, ap);
    flush(&o);
}

static __attribute__((noinline)) void out_fd(int fd, const char *fmt, va_list ap)
{
    static struct out o = {outbuf, OUTBUF, 0, -1};
    unsigned long sp = (unsigned long)__builtin_frame_address(0);
    if (sp <= USYSCALL && sp > USYSCALL - SHALLOW) {
        out_stack(fd, fmt, ap);
        return;
    }
    if (outbuf_busy) {
        out_nested(fd, fmt, ap);
        return;
    }
    /* A handler may run between any two instructions: the buffer is ours
     * only between these two stores, which the compiler may not move the
     * buffer's accesses across. */
    outbuf_busy = 1;
    __asm__ volatile("" ::: "memory");
    o.fd = fd;
    format(&o, fmt, ap);
    flush(&o);
    __asm__ volatile("" ::: "memory");
    outbuf_busy = 0;
}

void fprintf(int fd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_fd(fd, fmt, ap);
    va_end(ap);
}

void printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_fd(1, fmt, ap);
    va_end(ap);
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
    struct out o = {buf, size > 0 ? size - 1 : 0, 0, -1};
    va_list ap;
    va_start(ap, fmt);
    format_out(&o, fmt, ap);
    va_end(ap);
    if (size > 0)
        buf[o.len < size - 1 ? o.len : size - 1] = 0;
    return o.len;
}
