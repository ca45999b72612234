/* Bad pointers and lengths passed to system calls give -1; they never
 * crash the kernel or damage the caller. */
#include "testlib.h"

#define KADDR ((void *)0xffffffc080200000UL)
#define UNMAPPED ((void *)0x3000000000L)
#define NEARTOP ((void *)0x3ffffffff0L)

static char text_page_probe(void) { return 1; }

int main(void)
{
    test_begin("bad_pointers");
    char buf[16];
    int fds[2];
    CHECK(write(1, KADDR, 16) == -1, "write from a kernel address");
    CHECK(write(1, UNMAPPED, 16) == -1, "write from an unmapped address");
    CHECK(write(1, NEARTOP, 64) == -1, "write running off the top of user space");
    CHECK(write(1, buf, -1) == -1, "write with a negative length");
    CHECK(write(99, buf, 1) == -1, "write to a bad fd");
    CHECK(write(-1, buf, 1) == -1, "write to fd -1");
    CHECK(pipe((int *)KADDR) == -1, "pipe into a kernel address");
    CHECK(pipe((int *)UNMAPPED) == -1, "pipe into an unmapped address");
    CHECK(pipe((int *)(void *)text_page_probe) == -1, "pipe into text");
    CHECK(pipe(fds) == 0, "pipe");
    CHECK(write(fds[1], "hello", 5) == 5, "pipe write");
    CHECK(read(fds[0], KADDR, 5) == -1, "read into a kernel address");
    CHECK(read(fds[0], (void *)text_page_probe, 5) == -1, "read into text");
    CHECK(read(fds[0], buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "data survived the bad reads");
    close(fds[0]);
    close(fds[1]);
    CHECK(wait((int *)KADDR) == -1, "wait into a kernel address (no children)");
    int pid = fork();
    if (pid == 0)
        exit(5);
    CHECK(wait((int *)KADDR) == -1, "wait into a kernel address");
    CHECK(wait_status(pid) == 5, "child still reapable after a bad wait");
    CHECK(memstat((struct memstat *)KADDR) == -1, "memstat into a kernel address");
    CHECK(memstat((struct memstat *)NEARTOP) == -1, "memstat across the top");
    CHECK(open((char *)KADDR, O_RDONLY) == -1, "open of a kernel path");
    CHECK(open((char *)UNMAPPED, O_RDONLY) == -1, "open of an unmapped path");
    CHECK(fstat(0, (struct stat *)KADDR) == -1, "fstat into a kernel address");
    CHECK(cmdline((char *)KADDR, 100) == -1, "cmdline into a kernel address");
    CHECK(close(42) == -1 && close(-3) == -1, "close of bad fds");
    CHECK(dup(77) == -1, "dup of a bad fd");
    /* the text page must still be intact and executable */
    CHECK(text_page_probe() == 1, "text damaged");
    return test_end();
}
