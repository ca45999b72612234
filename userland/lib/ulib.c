/* String and small helpers of the xv6 user API. */
#include "user.h"

char *strcpy(char *dst, const char *src)
{
    char *d = dst;
    while ((*d++ = *src++))
        ;
    return dst;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (uchar)*a - (uchar)*b;
}

int strncmp(const char *a, const char *b, uint n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (uchar)*a - (uchar)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

uint strlen(const char *s)
{
    uint n = 0;
    while (s[n])
        n++;
    return n;
}

void *memset(void *dst, int c, uint n)
{
    uchar *d = dst;
    while (n--)
        *d++ = (uchar)c;
    return dst;
}

char *strchr(const char *s, char c)
{
    for (; *s; s++)
        if (*s == c)
            return (char *)s;
    return 0;
}

char *gets(char *buf, int max)
{
    int i = 0;
    while (i + 1 < max) {
        char c;
        if (read(0, &c, 1) < 1)
            break;
        buf[i++] = c;
        if (c == '\n' || c == '\r')
            break;
    }
    buf[i] = 0;
    return buf;
}

int stat(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int r = fstat(fd, st);
    close(fd);
    return r;
}

int atoi(const char *s)
{
    int n = 0, neg = 0;
    if (*s == '-')
        neg = 1, s++;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return neg ? -n : n;
}

void *memmove(void *dst, const void *src, int n)
{
    char *d = dst;
    const char *s = src;
    if (s < d && s + n > d) {
        while (n-- > 0)
            d[n] = s[n];
    } else {
        while (n-- > 0)
            *d++ = *s++;
    }
    return dst;
}

int memcmp(const void *a, const void *b, uint n)
{
    const uchar *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

void *memcpy(void *dst, const void *src, uint n) { return memmove(dst, src, (int)n); }

/* The classic sbrk is the system call with its "how": eager asks for what
 * the allocation policy does, lazy for a reservation only. */
char *sbrk(int n) { return sys_sbrk(n, SBRK_EAGER); }
char *sbrklazy(int n) { return sys_sbrk(n, SBRK_LAZY); }
