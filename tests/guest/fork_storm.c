/* Fork storms: children fork grandchildren and everybody exits, hundreds
 * of rounds, all harts busy at once, to shake out refcount races. */
#include "testlib.h"

#define ROUNDS 200
#define WIDTH 6

static char *shared;

static int grandchild(long i)
{
    shared[(i % 8) * 4096] = (char)i; /* a COW fault per grandchild */
    return hartid() & 0xff;
}

static int child(long i)
{
    shared[(i % 8) * 4096 + 1] = (char)i;
    int pid = spawn(grandchild, i);
    if (pid < 0)
        return 200;
    int st = wait_status(pid);
    if (st < 0 || st > 63)
        return 201;
    return st; /* the hart the grandchild ran on */
}

/* Runs the audit over and over while the storm goes on (on another
 * hart): it must find every address space consistent whenever it looks. */
static int auditor(long runs)
{
    int problems = 0;
    for (long i = 0; i < runs; i++)
        problems += mmaudit();
    printf("auditor: %ld audits during the storm, %d problem(s)\n", runs, problems);
    return problems ? 1 : 0;
}

int main(void)
{
    test_begin("fork_storm");
    check_fork_shares();
    shared = sbrk(8 * 4096);
    memset(shared, 's', 8 * 4096);
    unsigned long seen_harts = 0;
    int failed_forks = 0;
    int auditor_pid = spawn(auditor, 150);
    for (int r = 0; r < ROUNDS; r++) {
        int pids[WIDTH];
        for (int k = 0; k < WIDTH; k++) {
            pids[k] = spawn(child, r * WIDTH + k);
            if (pids[k] < 0)
                failed_forks++;
        }
        for (int k = 0; k < WIDTH; k++) {
            if (pids[k] < 0)
                continue;
            int st = wait_status(pids[k]);
            CHECK(st >= 0 && st < 64, "round %d child %d status %d", r, k, st);
            if (st >= 0 && st < 64)
                seen_harts |= 1UL << st;
        }
        if (r % 50 == 49)
            CHECK(mmaudit() == 0, "audit after round %d", r);
    }
    CHECK(wait_status(auditor_pid) == 0, "the concurrent audit found problems");
    CHECK(failed_forks == 0, "%d forks failed", failed_forks);
    int n = 0;
    for (int h = 0; h < 64; h++)
        n += (seen_harts >> h) & 1;
    printf("grandchildren ran on %d harts\n", n);
    CHECK(n >= 2, "all work ran on %d hart(s)", n);
    for (int i = 0; i < 8 * 4096; i++)
        if (shared[i] != 's') {
            CHECK(0, "parent's shared byte %d changed", i);
            break;
        }
    sbrk(-(8 * 4096));
    return test_end();
}
