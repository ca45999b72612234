/* The user stack under each allocation policy. Under lazy, a program
 * without the classic stack (rvos's own) may grow its stack on demand down
 * to RVOS_STACK_PAGES_MAX pages below the top, page by page as it touches
 * them; the guard page below that limit is fatal. Under eager the stack is
 * exactly RVOS_STACK_PAGES_DEFAULT pages with the guard right below (the
 * old behaviour). Course programs keep exactly their pages under both
 * (xv6_stack checks that). Every probe runs in a child: a kill shows as
 * wait status -1. */
#include "kernel/riscv.h"
#include "rvos/exec.h"
#include "rvos/usyscall.h"
#include "testlib.h"

#define PAGE 4096L
#define TOP ((long)USYSCALL) /* the stack ends just below the USYSCALL page */
#define PAD 900

static int lazy;

static struct memstat stat_now(void)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    memstat(&ms);
    return ms;
}

static int load_at(long addr)
{
    (void)*(volatile char *)addr;
    return 0;
}

/* Recurses until the stack pointer is below target; every frame holds a
 * padded buffer whose ends it checks on the way back. */
__attribute__((noinline)) static int dive(long target, int depth)
{
    volatile char pad[PAD];
    pad[0] = (char)depth;
    pad[PAD - 1] = (char)~depth;
    int r = (long)r_sp() > target ? dive(target, depth + 1) : 0;
    if (pad[0] != (char)depth || pad[PAD - 1] != (char)~depth)
        r = 200;
    return r;
}

static int dive_to(long pages_down) { return dive(TOP - pages_down * PAGE, 0); }

/* At the bottom of a deep stack: fork. The grandchild unwinds the copied
 * (or shared) stack and checks every frame; its parent waits, then does
 * the same with its own. */
__attribute__((noinline)) static int dive_fork(long target, int depth)
{
    volatile char pad[PAD];
    pad[0] = (char)depth;
    pad[PAD - 1] = (char)~depth;
    int r;
    if ((long)r_sp() > target) {
        r = dive_fork(target, depth + 1);
    } else {
        int pid = fork();
        r = pid < 0 ? 100 : pid == 0 ? 0 : wait_status(pid);
    }
    if (pad[0] != (char)depth || pad[PAD - 1] != (char)~depth)
        r = 200;
    return r;
}

static int dive_fork_to(long pages_down) { return dive_fork(TOP - pages_down * PAGE, 0); }

/* The child's half of growth_cost's handshake: says it is ready (wr_fd),
 * then waits for the parent's word (rd_fd) before going on. */
static int rd_fd, wr_fd;
static void handshake(void)
{
    char c = 'x';
    write(wr_fd, &c, 1);
    read(rd_fd, &c, 1);
}

__attribute__((noinline)) static int dive_and_wait(long target, int depth)
{
    volatile char pad[PAD];
    pad[0] = (char)depth;
    int r = (long)r_sp() > target ? dive_and_wait(target, depth + 1) : (handshake(), 0);
    return pad[0] == (char)depth ? r : 200;
}

static int measured_dive(long pages_down)
{
    handshake();
    return dive_and_wait(TOP - pages_down * PAGE, 0);
}

/* Growth costs frames only as the stack is touched, and gives them back
 * at exit. */
static void growth_cost(void)
{
    int to_child[2], to_parent[2];
    CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0, "pipes");
    rd_fd = to_child[0];
    wr_fd = to_parent[1];
    int pid = spawn(measured_dive, 200);
    char c = 'g';
    CHECK(read(to_parent[0], &c, 1) == 1, "child ready");
    struct memstat a = stat_now();
    write(to_child[1], &c, 1);
    CHECK(read(to_parent[0], &c, 1) == 1, "child at the bottom");
    struct memstat b = stat_now();
    write(to_child[1], &c, 1);
    CHECK(wait_status(pid) == 0, "the measured dive");
    long grown = (long)(b.pages_resident - a.pages_resident);
    CHECK(grown >= 180 && grown <= 200 + 8, "200 pages of stack growth made %ld pages resident", grown);
    CHECK(b.lazy_faults - a.lazy_faults >= 180, "200 pages of stack growth took %lu lazy faults",
          b.lazy_faults - a.lazy_faults);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
}

/* read() into a stack page the program has not grown into yet */
static int read_below(long pages_down)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 3;
    write(fds[1], "s", 1);
    char *dst = (char *)(TOP - pages_down * PAGE + 40);
    int n = read(fds[0], dst, 1);
    return n == 1 && *dst == 's' ? 0 : 4;
}

int main(void)
{
    test_begin("lazy_stack");
    lazy = alloc_lazy();
    long sp = (long)r_sp();
    CHECK(sp < TOP && sp >= TOP - PAGE, "main's stack pointer %lx is not in the top page below %lx", sp, TOP);

    long limit = lazy ? RVOS_STACK_PAGES_MAX : RVOS_STACK_PAGES_DEFAULT; /* pages the stack may use */
    long lowest = TOP - limit * PAGE;
    printf("stack: %ld pages may be used (alloc policy %s)\n", limit, lazy ? "lazy" : "eager");

    /* direct loads: the lowest allowed page, and the guard below it */
    CHECK(wait_status(spawn(load_at, lowest)) == 0, "a load in the lowest of %ld stack pages", limit);
    CHECK(wait_status(spawn(load_at, lowest - 1)) == -1, "a load in the guard page below %ld pages", limit);
    CHECK(wait_status(spawn(load_at, lowest - PAGE * 3)) == -1, "a load below the guard page");
    CHECK(wait_status(spawn(load_at, TOP - RVOS_STACK_PAGES_DEFAULT * PAGE - 1)) == (lazy ? 0 : -1),
          "a load just below the default %d pages", RVOS_STACK_PAGES_DEFAULT);

    /* recursion: within the limit it works, past it the guard kills */
    CHECK(wait_status(spawn(dive_to, limit - 4)) == 0, "recursion %ld pages deep", limit - 4);
    CHECK(wait_status(spawn(dive_to, limit + 2)) == -1, "recursion past %ld pages did not kill", limit);
    if (lazy) {
        CHECK(wait_status(spawn(dive_to, 100)) == 0, "recursion 100 pages deep");
        CHECK(wait_status(spawn(dive_fork_to, 120)) == 0, "fork at the bottom of a grown stack");
        CHECK(wait_status(spawn(read_below, 150)) == 0, "read() into a stack page not grown into yet");
        growth_cost();
    } else {
        CHECK(wait_status(spawn(dive_to, 100)) == -1, "recursion 100 pages deep under eager did not kill");
        CHECK(wait_status(spawn(dive_fork_to, limit - 4)) == 0, "fork at the bottom of the stack");
        CHECK(wait_status(spawn(read_below, limit + 10)) == 4, "read() below the stack must fail with -1, not kill");
    }
    return test_end();
}
