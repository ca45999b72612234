/* The interactive shell on the console, driven by ctest as a student would
 * type (tests/guest/console_jobs.session): Ctrl-C stops foreground jobs
 * and pipelines but not background jobs or the shell, control characters
 * never reach a command line, arrow keys edit and recall history, an
 * over-long line is reported, and ps lists what runs. The commands leave
 * files behind; this program runs the shell, then checks them. */
#include "testlib.h"

/* Reads path into buf (NUL-terminated) and removes it; "" if missing. */
static const char *take(const char *path, char *buf, int size)
{
    buf[0] = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return buf;
    int n = read(fd, buf, size - 1);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    return buf;
}

int main(void)
{
    test_begin("console_jobs");
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"sh", 0};
        exec("/bin/sh", argv);
        exit(126);
    }
    int status = wait_status(pid);
    CHECK(status == 130, "the shell exited %d: 'exit' after a Ctrl-C should give 130", status);

    static char buf[2048];
    CHECK(strcmp(take("/cj_after", buf, sizeof buf), "survived\n") == 0,
          "the command after the first Ctrl-C did not run (or a dropped line ran): '%s'", buf);
    CHECK(strcmp(take("/cj_go.done", buf, sizeof buf), "survived\n") == 0,
          "the background job did not survive Ctrl-C: '%s'", buf);
    take("/cj_go", buf, sizeof buf);
    CHECK(strcmp(take("/cj_ctl", buf, sizeof buf), "ctl ok\n") == 0, "control characters got into the line: '%s'", buf);
    CHECK(strcmp(take("/cj_hist", buf, sizeof buf), "hist\n") == 0, "Up Up did not recall the command: '%s'", buf);
    CHECK(strcmp(take("/cj_lr", buf, sizeof buf), "abc\n") == 0, "Home/Right did not move the cursor: '%s'", buf);
    CHECK(strcmp(take("/cj_down", buf, sizeof buf), "draft\n") == 0, "Down did not bring the draft back: '%s'", buf);
    CHECK(strcmp(take("/cj_long", buf, sizeof buf), "after long\n") == 0, "the line after a long one: '%s'", buf);
    take("/cj_ps", buf, sizeof buf);
    CHECK(str_contains(buf, "  PID  PPID    STATE HART PAGES NAME\n"), "ps header missing: '%s'", buf);
    CHECK(str_contains(buf, "    1     0 "), "ps does not list init (pid 1, no parent): '%s'", buf);
    CHECK(str_contains(buf, " sh\n"), "ps does not list the shell: '%s'", buf);
    CHECK(str_contains(buf, "      run "), "ps does not show itself running on a hart: '%s'", buf);
    return test_end();
}
