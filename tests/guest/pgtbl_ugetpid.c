/* Lab pgtbl: the USYSCALL page. ugetpid() reads the pid from it without a
 * system call; every process (forked, forked from a fork, exec'd) must see
 * its own pid; user code may read the page but never write it, and
 * neither may the kernel on its behalf (copyout). The audit and the free
 * frame count in test_end check that fork, exec and exit account for it. */
#include "testlib.h"
#include "rvos/usyscall.h"

static int check_own_pid(long depth)
{
    if (ugetpid() != getpid())
        return 1;
    if (depth > 0) { /* a fork of a fork */
        int pid = spawn(check_own_pid, depth - 1);
        if (pid < 0 || wait_status(pid) != 0)
            return 2;
    }
    return ugetpid() == getpid() ? 0 : 3;
}

static int store_usyscall(long arg)
{
    (void)arg;
    ((volatile struct usyscall *)USYSCALL)->pid = 12345;
    return 0; /* must not get here */
}

static int exec_self(long arg)
{
    (void)arg;
    char *argv[] = {"/tests/pgtbl_ugetpid", "exec", 0};
    exec(argv[0], argv);
    return 4;
}

static void rest_is_zero(void)
{
    const volatile unsigned char *page = (const volatile unsigned char *)USYSCALL;
    int nonzero = 0;
    for (unsigned long i = sizeof(struct usyscall); i < 4096; i++)
        nonzero += page[i] != 0;
    CHECK(nonzero == 0, "%d stray bytes in the USYSCALL page", nonzero);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec") == 0)
        exit(ugetpid() == getpid() ? 0 : 5);
    test_begin("pgtbl_ugetpid");
    CHECK(ugetpid() == getpid(), "ugetpid %d, getpid %d", ugetpid(), getpid());
    rest_is_zero();
    /* Forked children, several of them alive at once, and grandchildren. */
    int pids[4];
    for (int i = 0; i < 4; i++)
        pids[i] = spawn(check_own_pid, 2);
    for (int i = 0; i < 4; i++)
        CHECK(wait_status(pids[i]) == 0, "child %d", i);
    CHECK(ugetpid() == getpid(), "parent after fork");
    CHECK(wait_status(spawn(exec_self, 0)) == 0, "after exec");
    /* Read-only: a store kills the process; the page is intact after. */
    CHECK(wait_status(spawn(store_usyscall, 0)) == -1, "store to USYSCALL: status");
    CHECK(ugetpid() == getpid(), "after the store attempt");
    /* The kernel refuses to write it for us, too. */
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    CHECK(write(p[1], "xxxx", 4) == 4, "write");
    CHECK(read(p[0], (void *)USYSCALL, 4) == -1, "read() into USYSCALL");
    CHECK(pipe((int *)USYSCALL) == -1, "pipe() into USYSCALL");
    close(p[0]);
    close(p[1]);
    CHECK(ugetpid() == getpid(), "after the system calls");
    /* ...but reading it through the kernel works: it is user memory. */
    CHECK(write(1, "", 0) == 0, "empty write");
    rest_is_zero();
    /* Growing and shrinking the heap leaves it alone. */
    char *h = sbrk(8 * 4096);
    CHECK(h != (char *)-1, "sbrk");
    sbrk(-8 * 4096);
    CHECK(ugetpid() == getpid(), "after sbrk");
    return test_end();
}
