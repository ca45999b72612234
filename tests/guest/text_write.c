/* A store to text (read-only, shared) kills only the writer, with a
 * message; the parent sees the killed status (-1) and its text is intact.
 * Also: loads from unmapped and kernel addresses, and jumping into data,
 * kill the process; the kernel carries on. */
#include "testlib.h"

__attribute__((noinline)) int victim(void) { return 1234; }

static int store_to_text(long unused)
{
    (void)unused;
    volatile unsigned int *p = (volatile unsigned int *)(void *)victim;
    *p = 0; /* must fault */
    return 0;
}

static int load_unmapped(long addr) { return *(volatile char *)addr; }

static int store_kernel(long addr)
{
    *(volatile long *)addr = 1;
    return 0;
}

static int jump_to(long addr)
{
    ((void (*)(void))addr)();
    return 0;
}

static char data_page[64] = {0};

int main(void)
{
    test_begin("text_write");
    check_fork_shares();
    int pid = spawn(store_to_text, 0);
    CHECK(wait_status(pid) == -1, "store to text: status");
    CHECK(victim() == 1234, "text changed in the parent");

    CHECK(wait_status(spawn(load_unmapped, 0)) == -1, "load from NULL");
    CHECK(wait_status(spawn(load_unmapped, 0x3000000000L)) == -1, "load from an unmapped user address");
    CHECK(wait_status(spawn(load_unmapped, (long)0xffffffc080200000UL)) == -1, "load from the kernel image");
    CHECK(wait_status(spawn(store_kernel, (long)0xffffffc080300000UL)) == -1, "store into the kernel");
    CHECK(wait_status(spawn(jump_to, (long)data_page)) == -1, "jump into data");
    CHECK(wait_status(spawn(jump_to, (long)0xffffffc080200000UL)) == -1, "jump into the kernel");

    /* After all that, fork and text still work. */
    pid = fork();
    if (pid == 0)
        exit(victim() == 1234 ? 7 : 8);
    CHECK(wait_status(pid) == 7, "fork after the kills");
    return test_end();
}
