/* The classic layout: course programs exec and open programs and README
 * relative to "/" (usertests: exec("echo"), open("README"), open("init");
 * grind: exec("grindir/../echo"), exec("/cat")). Every program in /bin is
 * also a name in /, the same file; /README is /data/README.txt; rvos's own
 * layout (/bin, /tests, /data) stays as it was. */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fcntl.h"
#include "testlib.h"

static unsigned int ino_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.type == T_FILE ? st.ino : 0;
}

/* Runs path with argv in a child whose stdin is in (if >= 0) and stdout a
 * pipe; returns up to n - 1 bytes of what it wrote, NUL-terminated, and
 * its exit status in *status. */
static int run(const char *path, char **argv, int in, char *out, int n, int *status)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    int pid = fork();
    if (pid == 0) {
        if (in >= 0) {
            close(0);
            dup(in);
            close(in);
        }
        close(1);
        dup(p[1]);
        close(p[0]);
        close(p[1]);
        exec(path, argv);
        exit(127);
    }
    close(p[1]);
    int got = 0, r;
    while (got < n - 1 && (r = read(p[0], out + got, n - 1 - got)) > 0)
        got += r;
    out[got] = 0;
    close(p[0]);
    *status = wait_status(pid);
    return got;
}

int main(void)
{
    test_begin("xv6_layout");
    CHECK(chdir("/") == 0, "chdir /");

    /* the same files under both names */
    const char *programs[] = {"echo", "cat", "init", "sh", "ls", "grep", "mkdir", "rm", "ln", "wc", "kill"};
    for (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char bin[32];
        snprintf(bin, sizeof bin, "/bin/%s", programs[i]);
        CHECK(ino_of(programs[i]) != 0 && ino_of(programs[i]) == ino_of(bin), "%s is %s", programs[i], bin);
    }
    CHECK(ino_of("README") != 0 && ino_of("README") == ino_of("/data/README.txt"), "README is /data/README.txt");
    CHECK(ino_of("hello") == 0 && ino_of("/tests/hello") != 0, "the tests stay in /tests only");

    /* open relative to / */
    static char a[4096], b[4096];
    int fd = open("README", O_RDONLY), n = fd >= 0 ? read(fd, a, sizeof a) : -1;
    close(fd);
    fd = open("/data/README.txt", O_RDONLY);
    int m = fd >= 0 ? read(fd, b, sizeof b) : -1;
    close(fd);
    CHECK(n > 0 && n == m && memcmp(a, b, n) == 0, "open(\"README\") reads /data/README.txt");
    fd = open("init", O_RDONLY);
    CHECK(fd >= 0 && read(fd, a, 4) == 4 && memcmp(a, "\177ELF", 4) == 0, "open(\"init\") reads the init program");
    close(fd);

    /* exec relative to /, as usertests and grind do */
    char out[64];
    int status;
    char *echo_argv[] = {"echo", "OK", 0};
    CHECK(run("echo", echo_argv, -1, out, sizeof out, &status) == 3 && strcmp(out, "OK\n") == 0 && status == 0,
          "exec(\"echo\"): \"%s\", status %d", out, status);
    CHECK(mkdir("grindir") == 0, "mkdir grindir");
    char *hi_argv[] = {"echo", "hi", 0};
    CHECK(run("grindir/../echo", hi_argv, -1, out, sizeof out, &status) == 3 && strcmp(out, "hi\n") == 0 && status == 0,
          "exec(\"grindir/../echo\"): \"%s\", status %d", out, status);
    CHECK(unlink("grindir") == 0, "unlink grindir");

    /* echo hi | /cat */
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    int pid = fork();
    if (pid == 0) {
        close(1);
        dup(p[1]);
        close(p[0]);
        close(p[1]);
        exec("echo", hi_argv);
        exit(127);
    }
    close(p[1]);
    char *cat_argv[] = {"cat", 0};
    CHECK(run("/cat", cat_argv, p[0], out, sizeof out, &status) == 3 && strcmp(out, "hi\n") == 0 && status == 0,
          "echo hi | /cat: \"%s\", status %d", out, status);
    close(p[0]);
    CHECK(wait_status(pid) == 0, "echo in the pipeline");
    return test_end();
}
