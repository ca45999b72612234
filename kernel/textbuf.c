#include "textbuf.h"
#include "printk.h"

void tb_printf(struct textbuf *tb, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintk(line, sizeof line, fmt, ap);
    va_end(ap);
    if (!tb || !tb->quiet)
        printk("%s", line);
    if (!tb)
        return;
    for (int i = 0; i < n; i++, tb->len++)
        if (tb->buf && tb->len + 1 < tb->size)
            tb->buf[tb->len] = line[i];
    if (tb->buf && tb->size)
        tb->buf[tb->len < tb->size ? tb->len : tb->size - 1] = 0;
}
