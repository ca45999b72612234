/* Text that goes to the console and, optionally, into a buffer as well:
 * the kernel's reports that a test program wants to read back (a
 * backtrace, a page-table dump) are written once, through one of these. */
#ifndef RVOS_KERNEL_TEXTBUF_H
#define RVOS_KERNEL_TEXTBUF_H
#include <stdint.h>

struct textbuf {
    char *buf;     /* 0: console only */
    uint64_t size; /* of buf */
    uint64_t len;  /* what the whole text needs (may exceed size - 1: then buf holds its start) */
    int quiet;     /* 1: buffer only, nothing on the console */
};

/* Appends to tb (NUL-terminated, truncated at its size) and prints on the
 * console unless tb->quiet. tb may be 0: console only. */
__attribute__((format(printf, 2, 3))) void tb_printf(struct textbuf *tb, const char *fmt, ...);

/* A report a system call returns into a user buffer of n bytes (1..4096):
 * tb_user_open gives tb a kernel page to write into (-1: bad n, or no
 * memory); tb_user_close copies the text (NUL-terminated, truncated to n)
 * to ubuf in the caller's memory, frees the page, and returns the length
 * of the whole text, or -1 if ubuf is bad. */
int tb_user_open(struct textbuf *tb, int n);
int64_t tb_user_close(struct textbuf *tb, uint64_t ubuf);
#endif
