/* Lab traps: the kernel backtrace. kbacktrace(buf, n, depth) has the
 * kernel take a backtrace depth + 1 calls of backtrace_probe deep inside
 * the system call; the frames must name, innermost first, backtrace_probe
 * (depth + 1 times), sys_kbacktrace, syscall_dispatch and user_trap. */
#include "testlib.h"

int main(void);
static char buf[4096];

/* The function name of each "  #N 0x... NAME+0xOFF" line, in order. */
static int frame_names(char names[][32], int max)
{
    int n = 0;
    for (char *line = buf; *line && n < max;) {
        char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        char *hash = strchr(line, '#');
        if (hash && hash < end) {
            char *name = strchr(hash, ' ');
            name = name && name < end ? strchr(name + 1, ' ') : 0;
            int len = 0;
            if (name && name < end)
                for (name++; name + len < end && name[len] != '+' && len < 31; len++)
                    names[n][len] = name[len];
            names[n][len] = 0;
            n++;
        }
        line = *end ? end + 1 : end;
    }
    return n;
}

static void check_depth(int depth)
{
    memset(buf, 0, sizeof buf);
    int len = kbacktrace(buf, sizeof buf, depth);
    CHECK(len > 0 && len < (int)sizeof buf && (int)strlen(buf) == len, "depth %d: kbacktrace returned %d", depth, len);
    CHECK(strncmp(buf, "backtrace:\n", 11) == 0, "depth %d: header", depth);
    char names[24][32];
    int n = frame_names(names, 24);
    int want = depth + 1 + 3;
    CHECK(n >= want, "depth %d: %d frames, want at least %d:\n%s", depth, n, want, buf);
    if (n < want)
        return;
    for (int i = 0; i <= depth; i++)
        CHECK(strcmp(names[i], "backtrace_probe") == 0, "depth %d: frame %d is %s", depth, i, names[i]);
    CHECK(strcmp(names[depth + 1], "sys_kbacktrace") == 0, "depth %d: then %s", depth, names[depth + 1]);
    CHECK(strcmp(names[depth + 2], "syscall_dispatch") == 0, "depth %d: then %s", depth, names[depth + 2]);
    CHECK(strcmp(names[depth + 3], "user_trap") == 0, "depth %d: then %s", depth, names[depth + 3]);
    /* The chain ends at the trap from user mode: at most the entry code
     * in trap.S that called user_trap (fp is 0 there) lies beyond. */
    CHECK(n <= want + 1, "depth %d: %d frames after user_trap:\n%s", depth, n - want, buf);
}

int main(void)
{
    test_begin("traps_btrace");
    for (int depth = 0; depth <= 8; depth++)
        check_depth(depth);
    /* Truncation: the length of the whole text, a NUL-terminated prefix. */
    char small[16];
    memset(small, 'x', sizeof small);
    int len = kbacktrace(small, sizeof small, 2);
    CHECK(len > 15 && small[15] == 0 && strncmp(small, "backtrace:\n", 11) == 0, "truncated: %d", len);
    /* Bad arguments. */
    CHECK(kbacktrace(buf, sizeof buf, -1) == -1, "depth -1");
    CHECK(kbacktrace(buf, sizeof buf, 9) == -1, "depth 9");
    CHECK(kbacktrace(buf, 0, 1) == -1, "size 0");
    CHECK(kbacktrace(0, 64, 1) == -1, "NULL");
    CHECK(kbacktrace((char *)0xffffffc080200000UL, 64, 1) == -1, "kernel address");
    CHECK(kbacktrace((char *)(void *)main, 64, 1) == -1, "text");
    return test_end();
}
