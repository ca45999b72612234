/* statistics() (kernel/lockstat.c): the lock-contention text the classic
 * lock lab's kalloctest and bcachetest read. Its shape (the two locks'
 * lines, "tot= N" the first '=' and the sum of their test-and-sets), that
 * the frame allocator's line counts the global lock's acquisitions (a
 * burst of frames larger than the per-hart caches goes through it), the
 * buffer's size and a bad buffer. */
#include "testlib.h"

static char buf[4096];

/* The numbers after "#test-and-set " and "#acquire() " on the line of lock
 * name; 0 if there is no such line. */
static int lock_line(const char *name, unsigned long *spins, unsigned long *acquires)
{
    char head[32];
    snprintf(head, sizeof head, "lock: %s: #test-and-set ", name);
    for (const char *p = buf; *p; p++)
        if (strncmp(p, head, strlen(head)) == 0) {
            p += strlen(head);
            *spins = atoi(p);
            const char *a = strchr(p, '#');
            if (!a || strncmp(a, "#acquire() ", 11) != 0)
                return 0;
            *acquires = atoi(a + 11);
            return 1;
        }
    return 0;
}

int main(void)
{
    test_begin("lock_stats");
    int n = statistics(buf, sizeof buf);
    CHECK(n > 0 && n == (int)strlen(buf), "statistics returned %d for a text of %d", n, (int)strlen(buf));
    CHECK(strncmp(buf, "--- lock kmem/bcache stats\n", 27) == 0, "header: '%s'", buf);
    unsigned long ks = 0, ka0 = 0, bs = 0, ba = 0, ka1 = 0;
    CHECK(lock_line("kmem", &ks, &ka0) && lock_line("bcache", &bs, &ba), "the two lines: '%s'", buf);
    /* kalloctest's reading: the number after the first '=' and a space */
    const char *eq = strchr(buf, '=');
    CHECK(eq && eq - buf >= 4 && strncmp(eq - 3, "tot= ", 5) == 0, "the first '=' is tot's: '%s'", buf);
    CHECK(eq && atoi(eq + 2) == (int)(ks + bs), "tot %d is the sum of %lu and %lu", eq ? atoi(eq + 2) : -1, ks, bs);

    /* 8 MiB of frames and back: more than the per-hart caches hold */
    char *old = sbrk(8 << 20);
    CHECK(old != (char *)-1, "sbrk");
    if (old != (char *)-1) {
        for (int i = 0; i < (8 << 20); i += 4096)
            old[i] = 1;
        sbrk(-(8 << 20));
    }
    CHECK(statistics(buf, sizeof buf) > 0 && lock_line("kmem", &ks, &ka1), "statistics again");
    CHECK(ka1 > ka0, "the frame allocator's lock was taken: %lu acquisitions, were %lu", ka1, ka0);

    /* a short buffer: the start of the text, NUL-terminated */
    static char small[11];
    memset(small, 'x', sizeof small);
    CHECK(statistics(small, 10) == 9 && small[9] == 0 && small[10] == 'x' && strncmp(small, "--- lock ", 9) == 0,
          "a 10-byte buffer: '%s'", small);
    CHECK(statistics((char *)0, 64) == -1, "NULL");
    CHECK(statistics((char *)(void *)main, 64) == -1, "text");
    return test_end();
}
