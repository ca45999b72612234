/* The smallest user test: output, arguments, getpid, a fork and a wait. */
#include "testlib.h"

static int child(long arg) { return (int)arg + 1; }

int main(int argc, char **argv)
{
    test_begin("hello");
    CHECK(argc >= 1 && strcmp(argv[0], "/tests/hello") == 0, "argv[0] = %s", argc ? argv[0] : "(none)");
    CHECK(getpid() == 1, "pid %d", getpid());
    int pid = spawn(child, 41);
    CHECK(pid > 1, "fork returned %d", pid);
    CHECK(wait_status(pid) == 42, "child status");
    return test_end();
}
