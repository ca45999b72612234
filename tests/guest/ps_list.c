/* ps lists every process with the Ctrl-P columns: a child blocked on a
 * pipe shows as sleeping with this test as its parent, ps itself as
 * running on a hart, and the test (init, pid 1) with no parent. */
#include "testlib.h"

/* The line of out that starts with pid (right-aligned in 5 columns). */
static const char *line_of(const char *out, int pid)
{
    char key[16];
    snprintf(key, sizeof key, "\n%5d ", pid);
    int n = (int)strlen(key);
    for (const char *s = out; *s; s++)
        if (strncmp(s, key, n) == 0)
            return s + 1;
    return 0;
}

int main(void)
{
    test_begin("ps_list");
    int block[2], out[2];
    CHECK(pipe(block) == 0 && pipe(out) == 0, "pipes");
    int sleeper = fork();
    if (sleeper == 0) {
        char c;
        close(block[1]);
        read(block[0], &c, 1); /* sleeps until the test closes its end */
        exit(0);
    }
    close(block[0]);
    /* The sleeper is asleep once it no longer shows as runnable: ask ps
     * until it says so (each look is a fresh ps, no timing involved). */
    static char buf[4096];
    const char *line = 0;
    for (int tries = 0; tries < 1000; tries++) {
        int pid = fork();
        if (pid == 0) {
            close(1);
            dup(out[1]);
            close(out[0]);
            close(out[1]);
            char *argv[] = {"ps", 0};
            exec("/bin/ps", argv);
            exit(126);
        }
        int got = 0, n;
        /* ps's output is far smaller than a pipe holds: read it after it exits */
        CHECK(wait_status(pid) == 0, "ps failed");
        n = read(out[0], buf, sizeof buf - 1);
        got = n > 0 ? n : 0;
        buf[got] = 0;
        line = line_of(buf, sleeper);
        if (line && strncmp(line + 12, "   sleep", 8) == 0)
            break;
        pause(1);
    }
    CHECK(strncmp(buf, "  PID  PPID    STATE HART PAGES NAME\n", 37) == 0, "header: '%s'", buf);
    char want[64];
    snprintf(want, sizeof want, "%5d %5d    sleep    - ", sleeper, getpid());
    CHECK(line && strncmp(line, want, strlen(want)) == 0, "the sleeper's line (want '%s'): '%s'", want, buf);
    CHECK(str_contains(buf, "    1     0 "), "init (pid 1, no parent) missing: '%s'", buf);
    CHECK(str_contains(buf, " ps_list\n"), "this test missing by name: '%s'", buf);
    CHECK(str_contains(buf, "      run    "), "ps itself should be running on a hart: '%s'", buf);
    close(block[1]);
    close(out[0]);
    close(out[1]);
    CHECK(wait_status(sleeper) == 0, "sleeper");
    return test_end();
}
