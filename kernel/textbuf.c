#include "textbuf.h"
#include "printk.h"
#include "proc.h"
#include "../arch/riscv/memlayout.h"
#include "../mm/page.h"
#include "../mm/vm.h"

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

int tb_user_open(struct textbuf *tb, int n)
{
    if (n <= 0 || n > (int)PAGE_SIZE)
        return -1;
    struct page *pg = page_alloc(0);
    if (!pg)
        return -1;
    pg->flags |= PG_KERNEL;
    *tb = (struct textbuf){page_va(pg), (uint64_t)n, 0, 0};
    return 0;
}

int64_t tb_user_close(struct textbuf *tb, uint64_t ubuf)
{
    uint64_t n = tb->len + 1 < tb->size ? tb->len + 1 : tb->size;
    int r = copyout(myproc()->as, ubuf, tb->buf, n);
    page_put(pa_to_page(va_to_pa(tb->buf)));
    return r < 0 ? -1 : (int64_t)tb->len;
}
