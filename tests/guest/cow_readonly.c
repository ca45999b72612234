/* copyout onto a read-only page (program text, read-only data, the
 * USYSCALL page) fails and leaves the page exactly as it was: a copyout
 * may break COW only on a COW page, never make a read-only page writable
 * (or copy it and write the copy). Checked in a fresh process (text frames
 * with one owner: the "last owner" shortcut would make them writable) and
 * in a forked child (frames shared with the parent: a copy would be made
 * and written), for a partial copyout and a whole-page one. */
#include "testlib.h"
#include "rvos/usyscall.h"

__attribute__((noinline)) int victim(void) { return 4321; }

static const char rodata[8192] __attribute__((aligned(4096))) = "read-only data, never written";

#define PAGE 4096UL

/* Reads n bytes of this program's own file into dst: the kernel's
 * copyout writes dst. Returns what read returned. */
static int read_into(void *dst, int n)
{
    int fd = open("/tests/cow_readonly", O_RDONLY);
    if (fd < 0)
        return -2;
    int r = read(fd, dst, n);
    close(fd);
    return r;
}

static int usyscall_mapped(long unused)
{
    (void)unused;
    return ugetpid() == getpid() ? 0 : 1;
}

static int store_to_text(long unused)
{
    (void)unused;
    *(volatile unsigned int *)(void *)victim = 0; /* must fault */
    return 0;
}

/* One read-only page: a 16-byte and a whole-page copyout onto it both
 * fail, and its bytes are the ones it had. Returns the failures. */
static int check_page(const char *what, void *page)
{
    static char before[PAGE];
    int bad = test_failures;
    memcpy(before, page, PAGE);
    int r = read_into((char *)page + 64, 16);
    CHECK(r == -1, "%s: a 16-byte read into it returned %d", what, r);
    CHECK(memcmp(before, page, PAGE) == 0, "%s: changed by a failed 16-byte read", what);
    r = read_into(page, PAGE);
    CHECK(r == -1, "%s: a whole-page read into it returned %d", what, r);
    CHECK(memcmp(before, page, PAGE) == 0, "%s: changed by a failed whole-page read", what);
    return test_failures - bad;
}

static int check_all(long has_usyscall)
{
    int bad = 0;
    bad += check_page("text", (void *)((unsigned long)victim & ~(PAGE - 1)));
    bad += check_page("read-only data", (void *)rodata);
    if (has_usyscall) {
        bad += check_page("the USYSCALL page", (void *)USYSCALL);
        CHECK(ugetpid() == getpid(), "USYSCALL's pid is %d, getpid %d", ugetpid(), getpid());
    }
    CHECK(victim() == 4321, "text no longer runs as it did");
    /* Still read-only for the program itself. */
    CHECK(wait_status(spawn(store_to_text, 0)) == -1, "a store to text did not kill the writer");
    return bad || victim() != 4321 ? 1 : 0;
}

int main(void)
{
    test_begin("cow_readonly");
    check_fork_shares();
    /* Without the page-table lab's USYSCALL page, reading it kills. */
    long has_usyscall = wait_status(spawn(usyscall_mapped, 0)) == 0;
    if (!has_usyscall)
        printf("no USYSCALL page here: not checked\n");
    check_all(has_usyscall);
    /* The same in a child whose frames are shared with its parent, and
     * again in the parent afterwards. */
    int pid = spawn(check_all, has_usyscall);
    CHECK(wait_status(pid) == 0, "in a forked child (its output above says what)");
    check_all(has_usyscall);
    return test_end();
}
