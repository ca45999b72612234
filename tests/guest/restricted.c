/* mmfail and poweroff act on the whole machine: only init (the first
 * process, which this test is) may use them, unless the kernel was booted
 * with the word "testmode". ctest runs this program both ways: without
 * testmode a child's calls must return -1 and change nothing (the machine
 * keeps running, no allocation is made to fail); with it the child's
 * calls are allowed. Either way init's are, down to its final poweroff. */
#include "testlib.h"

/* Whether the kernel command line holds word, before any "--". */
static int boot_word(const char *word)
{
    static char line[256];
    if (cmdline(line, sizeof line) < 0)
        return -1;
    int len = strlen(word);
    for (char *p = line; *p;) {
        while (*p == ' ')
            p++;
        char *end = p;
        while (*end && *end != ' ')
            end++;
        if (end - p == 2 && strncmp(p, "--", 2) == 0)
            break;
        if (end - p == len && strncmp(p, word, len) == 0)
            return 1;
        p = end;
    }
    return 0;
}

/* The child's tries; bit set = the call did not do what it should. */
static int child_without_testmode(long unused)
{
    (void)unused;
    int bad = 0;
    if (mmfail(0, 0) != -1) /* granted, the next allocation anywhere would fail */
        bad |= 1;
    if (mmfail(0, 1) != -1)
        bad |= 2;
    if (poweroff(3) != -1) /* granted, the machine would stop here, status 3 */
        bad |= 4;
    return bad;
}

static int child_with_testmode(long unused)
{
    (void)unused;
    /* -1 arms nothing, so being allowed changes nothing. */
    return (mmfail(-1, 0) == 0 ? 0 : 1) | (mmfail(-1, 1) == 0 ? 0 : 2);
}

static int exit_zero(long unused)
{
    (void)unused;
    return 0;
}

int main(void)
{
    test_begin("restricted");
    int testmode = boot_word("testmode");
    CHECK(testmode >= 0, "cmdline");
    CHECK(getpid() == 1, "not the first process: pid %d", getpid());
    printf("restricted: booted %s testmode\n", testmode == 1 ? "with" : "without");

    int st = wait_status(spawn(testmode == 1 ? child_with_testmode : child_without_testmode, 0));
    CHECK(st == 0, "child's mmfail/poweroff (testmode %d): failed checks 0x%x", testmode, st);

    /* Nothing was armed: allocations still succeed, in a fork and here. */
    int pid = spawn(exit_zero, 0);
    CHECK(pid > 0 && wait_status(pid) == 0, "fork after the child's mmfail");
    char *p = sbrk(4096);
    CHECK(p != (char *)-1, "sbrk after the child's mmfail");
    if (p != (char *)-1) {
        p[0] = 1;
        sbrk(-4096);
    }

    /* init may: -1 arms nothing. */
    CHECK(mmfail(-1, 0) == 0, "init's mmfail refused");
    int status = test_end();
    /* And init may power off: the machine stops here, with our status. */
    poweroff(status);
    printf("restricted: init's poweroff returned\n");
    return 1;
}
