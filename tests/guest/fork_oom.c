/* Running out of memory in the middle of fork: for every point at which
 * an allocation can fail, fork returns -1 (or succeeds, once enough
 * allocations are allowed), nothing leaks and the audit stays clean. Then
 * the same for a COW fault and for copyout into a COW page (which must
 * not write into the frame it could not copy). */
#include "testlib.h"

#define PAGES 40

/* As store_without_memory (testlib.h), but the store is the kernel's:
 * a read from a pipe holding 64 bytes into addr, whose copyout needs the
 * frame mmfail denies. The child exits 2 if read failed, 3 if it
 * succeeded; -1 is the status of a killed child. */
static int copyout_without_memory(char *addr)
{
    int go[2], data[2];
    static char bytes[64];
    memset(bytes, 'k', sizeof bytes);
    if (pipe(go) < 0 || pipe(data) < 0 || write(data[1], bytes, sizeof bytes) != sizeof bytes)
        return -3;
    int pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1); /* also makes our stack page private */
        mmfail(0, 0);
        exit(read(data[0], addr, sizeof bytes) < 0 ? 2 : 3);
    }
    close(go[0]);
    close(data[0]);
    close(data[1]);
    if (pid < 0) {
        close(go[1]);
        return -3;
    }
    stack_private();
    write(go[1], "x", 1);
    close(go[1]);
    return wait_status(pid);
}

int main(void)
{
    test_begin("fork_oom");
    check_fork_shares();
    char *mem = sbrk(PAGES * 4096);
    memset(mem, 'm', PAGES * 4096);
    unsigned long base = free_frames();
    int failures = 0, successes = 0;
    for (int n = 0; n < 120 && successes < 3; n++) {
        mmfail(n, 1);
        int pid = fork();
        if (pid == 0)
            exit(mem[PAGES * 4096 - 1] == 'm' ? 0 : 1);
        if (pid < 0) {
            failures++;
        } else {
            successes++;
            CHECK(wait_status(pid) == 0, "child after %d allowed allocations", n);
        }
        CHECK(free_frames() == base, "after fork with %d allocations allowed: %lu free, %lu before", n, free_frames(),
              base);
        CHECK(mmaudit() == 0, "audit after fork with %d allocations allowed", n);
    }
    CHECK(failures > 0 && successes > 0, "failures %d successes %d", failures, successes);
    printf("fork failed cleanly at %d allocation points\n", failures);

    /* A COW fault that cannot get a frame kills the writer only. The
     * failure mmfail(0, 0) injects goes to the next allocation anywhere,
     * so nobody else may allocate between the child arming it and its
     * store. The parent's first stack store after fork races with the
     * child's read (both break COW on the same stack page): a parent that
     * saw the page still shared, then stalled (a busy host deschedules
     * its hart) until the child had armed the failure, took it: the
     * parent (init) was killed and the child lived. So the parent breaks
     * COW on the stack it will use before it lets the child go; after
     * that it only sleeps in wait. */
    struct memstat ms;
    memstat(&ms);
    if (ms.fork_promises & FORK_SHARES_ALL) {
        int st = store_without_memory(&mem[0], 'c'); /* this COW fault finds no frame */
        CHECK(st == -1, "child writing with no memory left exited %d", st);
        CHECK(mem[0] == 'm', "parent page changed");
        CHECK(free_frames() == base, "leak after OOM kill: %lu free, %lu before", free_frames(), base);
        /* copyout into a COW page with no frame for the copy: the call
         * fails (or the caller is killed); the still-shared frame, which
         * the parent maps, is not written. */
        st = copyout_without_memory(&mem[4096 + 100]);
        CHECK(st == -1 || st == 2, "child reading into a COW page with no memory left exited %d", st);
        int intact = 1;
        for (int i = 0; i < 4096; i++)
            intact &= mem[4096 + i] == 'm';
        CHECK(intact, "the failed copyout wrote into the frame the parent still shares");
        CHECK(free_frames() == base, "leak after the failed copyout: %lu free, %lu before", free_frames(), base);
    }
    sbrk(-(PAGES * 4096));
    return test_end();
}
