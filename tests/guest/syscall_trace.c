/* Lab syscall: the trace system call.
 *
 * Without arguments: what a program can see for itself. trace returns 0;
 * traced calls still do their work and return what they would untraced;
 * trace(0) turns tracing off; bits for numbers that name no call are
 * harmless; the mask survives a failed exec.
 *
 * "fork": the console check (tests.cmake, syscall_trace_fork). The parent
 * traces getpid but never calls it; its child does, and the kernel must
 * print "CHILD: syscall getpid -> CHILD": the mask is inherited. */
#include "testlib.h"
#include "kernel/syscall.h"

static int child_getpid(long arg)
{
    (void)arg;
    return getpid() > 1 ? 0 : 1;
}

static void inherited(void)
{
    CHECK(trace(1UL << SYS_getpid) == 0, "trace");
    int pid = spawn(child_getpid, 0);
    CHECK(pid > 1, "fork");
    CHECK(wait_status(pid) == 0, "child's getpid");
    CHECK(trace(0) == 0, "trace(0)");
}

static void calls_still_work(void)
{
    int me = getpid();
    /* Every call traced: each must return what it returns untraced. */
    CHECK(trace(~0UL) == 0, "trace(all)");
    CHECK(getpid() == me, "traced getpid");
    int p[2];
    CHECK(pipe(p) == 0, "traced pipe");
    CHECK(write(p[1], "abc", 3) == 3, "traced write");
    char buf[4] = {0};
    CHECK(read(p[0], buf, 3) == 3 && strcmp(buf, "abc") == 0, "traced read");
    CHECK(close(p[0]) == 0 && close(p[1]) == 0, "traced close");
    CHECK(close(p[0]) == -1, "traced failing close");
    char *old = sbrk(4096);
    CHECK(old != (char *)-1 && sbrk(-4096) == old + 4096, "traced sbrk");
    /* A failed exec returns, and the mask stays as it was. */
    char *argv[] = {"nonexistent", 0};
    CHECK(exec("/no/such/program", argv) == -1, "traced failing exec");
    CHECK(trace(0) == 0, "trace(0)");
    CHECK(getpid() == me, "untraced getpid");
    /* Bits of numbers no call has: nothing happens. */
    CHECK(trace(1UL << 63 | 1UL << 0) == 0, "trace of unused numbers");
    CHECK(getpid() == me, "getpid");
    CHECK(trace(0) == 0, "trace(0)");
}

int main(int argc, char **argv)
{
    test_begin("syscall_trace");
    if (argc > 1 && strcmp(argv[1], "fork") == 0)
        inherited();
    else
        calls_still_work();
    return test_end();
}
