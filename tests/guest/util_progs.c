/* Lab util: the warm-up programs, checked for what the classic lab's
 * grader checks, and exactly: each is run as the shell would run it
 * (its standard output and error into a pipe, its input from a pipe or a
 * script), and its output compared line by line.
 *
 *   sleep     without an argument: a message, status 1, no hang; "sleep 10"
 *             lets at least 10 ticks pass (the classic grader stops at a
 *             breakpoint in the kernel's sleep); then the next command runs
 *   pingpong  "<child>: received ping" then "<parent>: received pong", the
 *             pids being the child's and the parent's own
 *   primes    "prime N" for every prime up to 269, in order, and nothing else
 *   find      in the current directory, in a subdirectory, recursively;
 *             only the names asked for (README is never printed)
 *   xargs     "sh < xargstest.sh" prints hello three times; "(echo 1 ;
 *             echo 2) | xargs echo" runs echo once per line */
#include "testlib.h"

static char out[8192];

static int run(char **argv, const char *dir, const char *input)
{
    return run_capture(argv, dir, input, out, sizeof out);
}

/* How many lines of out are exactly line. */
static int lines_equal(const char *line)
{
    int count = 0, len = strlen(line);
    for (const char *p = out; *p;) {
        const char *end = strchr(p, '\n');
        int n = end ? end - p : (int)strlen(p);
        if (n == len && strncmp(p, line, len) == 0)
            count++;
        p += n + (end ? 1 : 0);
    }
    return count;
}

static int count_lines(void)
{
    int n = 0;
    for (const char *p = out; *p; p++)
        n += *p == '\n';
    return n;
}

static void test_sleep(void)
{
    char *none[] = {"/bin/sleep", 0};
    CHECK(run(none, 0, 0) == 1, "sleep without an argument: status 1");
    CHECK(out[0] != 0 && !str_contains(out, "exec"), "sleep without an argument says how to use it: '%s'", out);
    char *ten[] = {"/bin/sleep", "10", 0};
    int t0 = uptime();
    CHECK(run(ten, 0, 0) == 0, "sleep 10: status 0");
    CHECK(uptime() - t0 >= 10, "sleep 10 returned after %d ticks", uptime() - t0);
    char *echo[] = {"/bin/echo", "OK", 0};
    CHECK(run(echo, 0, 0) == 0 && strcmp(out, "OK\n") == 0, "the next command runs");
}

static void test_pingpong(void)
{
    char *argv[] = {"/bin/pingpong", 0};
    int next = fork(); /* the next pid: pingpong's is one more, its child's two */
    if (next == 0)
        exit(0);
    wait_status(next);
    CHECK(run(argv, 0, 0) == 0, "pingpong: status 0");
    /* pingpong waits for its child: none is left over for this program,
     * the first process, which inherits every orphan. */
    int stray = wait(0);
    CHECK(stray < 0, "pingpong exited without waiting for its child (pid %d was left to init)", stray);
    char ping[32], pong[32];
    snprintf(ping, sizeof ping, "%d: received ping", next + 2);
    snprintf(pong, sizeof pong, "%d: received pong", next + 1);
    CHECK(lines_equal(ping) == 1 && lines_equal(pong) == 1 && count_lines() == 2, "want '%s' and '%s', got '%s'", ping,
          pong, out);
    CHECK(strncmp(out, ping, strlen(ping)) == 0, "ping comes first: '%s'", out);
}

static int is_prime(int n)
{
    for (int d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return n >= 2;
}

static void test_primes(void)
{
    char *argv[] = {"/bin/primes", 0};
    CHECK(run(argv, 0, 0) == 0, "primes: status 0");
    /* every prime up to 269 (the classic grader's list) in order, and
     * only primes */
    const char *p = out;
    int want = 2, bad = 0;
    while (*p && !bad) {
        if (strncmp(p, "prime ", 6) != 0) {
            bad = 1;
            break;
        }
        int n = atoi(p + 6);
        while (want <= 269 && !is_prime(want))
            want++;
        if (want <= 269 && n != want)
            bad = 1;
        if (!is_prime(n))
            bad = 1;
        want = n + 1;
        p = strchr(p, '\n');
        p = p ? p + 1 : "";
    }
    CHECK(!bad && want > 269, "primes printed: '%s'", out);
}

static void make_file(const char *path)
{
    int fd = open(path, O_CREATE | O_WRONLY);
    CHECK(fd >= 0, "create %s", path);
    write(fd, "\n", 1);
    close(fd);
}

static void test_find(void)
{
    CHECK(mkdir("/uf") == 0 && mkdir("/uf/dd") == 0 && mkdir("/uf/d1") == 0 && mkdir("/uf/d1/d2") == 0 &&
              mkdir("/uf/d3") == 0,
          "mkdir");
    make_file("/uf/fn");
    make_file("/uf/dd/fn");
    make_file("/uf/README");
    make_file("/uf/d1/needle");
    make_file("/uf/d1/d2/needle");
    make_file("/uf/d3/needle");
    /* in the current directory */
    char *here[] = {"/bin/find", ".", "fn", 0};
    CHECK(run(here, "/uf", 0) == 0, "find . fn: status");
    CHECK(lines_equal("./fn") == 1 && lines_equal("./dd/fn") == 1 && count_lines() == 2, "find . fn: '%s'", out);
    CHECK(!str_contains(out, "README"), "find . fn printed README: '%s'", out);
    /* in a subdirectory */
    char *sub[] = {"/bin/find", "dd", "fn", 0};
    CHECK(run(sub, "/uf", 0) == 0 && strcmp(out, "dd/fn\n") == 0, "find dd fn: '%s'", out);
    /* recursively */
    char *deep[] = {"/bin/find", ".", "needle", 0};
    CHECK(run(deep, "/uf", 0) == 0, "find . needle: status");
    CHECK(lines_equal("./d1/needle") == 1 && lines_equal("./d1/d2/needle") == 1 && lines_equal("./d3/needle") == 1 &&
              count_lines() == 3,
          "find . needle: '%s'", out);
    const char *names[] = {
        "/uf/d1/d2/needle", "/uf/d1/d2", "/uf/d1/needle", "/uf/d1", "/uf/d3/needle", "/uf/d3", "/uf/dd/fn",
        "/uf/dd",           "/uf/fn",    "/uf/README",    "/uf"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(unlink(names[i]) == 0, "unlink %s", names[i]);
}

static void test_xargs(void)
{
    CHECK(mkdir("/ux") == 0, "mkdir /ux");
    static char script[512];
    int fd = open("/xargstest.sh", O_RDONLY);
    int n = fd >= 0 ? read(fd, script, sizeof script - 1) : -1;
    close(fd);
    CHECK(n > 0, "/xargstest.sh, as the classic grader runs it");
    script[n > 0 ? n : 0] = 0;
    char *sh[] = {"/bin/sh", 0};
    CHECK(run(sh, "/ux", script) == 0, "sh < xargstest.sh: status");
    int hellos = 0;
    for (const char *p = out; (p = strchr(p, 'h')) != 0; p++)
        hellos += strncmp(p, "hello", 5) == 0;
    CHECK(hellos == 3 && lines_equal("hello") == 3, "sh < xargstest.sh: %d hellos in '%s'", hellos, out);
    const char *left[] = {"/ux/xa/b", "/ux/xa", "/ux/xc/b", "/ux/xc", "/ux/b", "/ux"};
    for (unsigned i = 0; i < sizeof left / sizeof left[0]; i++)
        CHECK(unlink(left[i]) == 0, "unlink %s", left[i]);
    /* a multi-line input: one echo per line */
    CHECK(run(sh, "/", "(echo 1 ; echo 2) | xargs echo\n") == 0, "xargs echo: status");
    CHECK(strcmp(out, "1\n2\n") == 0, "(echo 1 ; echo 2) | xargs echo: '%s'", out);
    /* words of a line are arguments of their own, after the given ones;
     * a blank line runs nothing */
    char *xargs[] = {"/bin/xargs", "echo", "a", 0};
    CHECK(run(xargs, "/", "b  c\td\n\ne\n") == 0, "xargs echo a: status");
    CHECK(strcmp(out, "a b c d\na e\n") == 0, "xargs echo a (a blank line runs nothing): '%s'", out);
}

static const struct {
    const char *name;
    void (*fn)(void);
} groups[] = {
    {"sleep", test_sleep}, {"pingpong", test_pingpong}, {"primes", test_primes},
    {"find", test_find},   {"xargs", test_xargs},
};

int main(int argc, char **argv)
{
    const char *want = argc > 1 ? argv[1] : "";
    test_begin(want);
    int found = 0;
    for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(want, groups[i].name) == 0) {
            groups[i].fn();
            found = 1;
        }
    CHECK(found, "no group named '%s'", want);
    return test_end();
}
