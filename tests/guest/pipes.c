/* Pipes: large transfers across harts, EOF when the last writer closes,
 * writes bigger than the pipe buffer, many pipes at once, and a write to
 * a pipe with no reader failing instead of blocking. */
#include "testlib.h"

#define BIG (1024 * 1024)

static int producer(long fd)
{
    static char buf[1000];
    unsigned char v = 0;
    for (int sent = 0; sent < BIG;) {
        int n = BIG - sent < (int)sizeof buf ? BIG - sent : (int)sizeof buf;
        for (int i = 0; i < n; i++)
            buf[i] = (char)v++;
        if (write((int)fd, buf, n) != n)
            return 1;
        sent += n;
    }
    return 0;
}

int main(void)
{
    test_begin("pipes");
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    int pid = spawn(producer, fds[1]);
    close(fds[1]);
    static char buf[3000];
    unsigned char v = 0;
    int total = 0, bad = 0, n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        for (int i = 0; i < n; i++)
            bad += (unsigned char)buf[i] != v++;
        total += n;
    }
    CHECK(n == 0, "read after EOF returned %d", n);
    CHECK(total == BIG && bad == 0, "got %d bytes, %d wrong", total, bad);
    CHECK(wait_status(pid) == 0, "producer");
    close(fds[0]);

    /* one write much larger than the pipe buffer, read in small pieces */
    CHECK(pipe(fds) == 0, "pipe");
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        static char big[20000];
        memset(big, 'w', sizeof big);
        exit(write(fds[1], big, sizeof big) == (int)sizeof big ? 0 : 1);
    }
    close(fds[1]);
    total = 0;
    while ((n = read(fds[0], buf, 7)) > 0)
        total += n;
    CHECK(total == 20000, "big write delivered %d bytes", total);
    CHECK(wait_status(pid) == 0, "big writer");
    close(fds[0]);

    /* many pipes open at once, each with its own child */
    int rd[6];
    int pids[6];
    for (int i = 0; i < 6; i++) {
        CHECK(pipe(fds) == 0, "pipe %d", i);
        pids[i] = fork();
        if (pids[i] == 0) {
            close(fds[0]);
            char c = (char)('a' + i);
            for (int k = 0; k < 100; k++)
                write(fds[1], &c, 1);
            exit(0);
        }
        close(fds[1]);
        rd[i] = fds[0];
    }
    for (int i = 0; i < 6; i++) {
        int got = 0, wrong = 0;
        char c;
        while (read(rd[i], &c, 1) == 1) {
            got++;
            wrong += c != 'a' + i;
        }
        CHECK(got == 100 && wrong == 0, "pipe %d: %d bytes, %d wrong", i, got, wrong);
        close(rd[i]);
        wait_status(pids[i]);
    }

    /* no reader: the write fails */
    CHECK(pipe(fds) == 0, "pipe");
    close(fds[0]);
    CHECK(write(fds[1], "x", 1) == -1, "write with no reader succeeded");
    close(fds[1]);
    return test_end();
}
