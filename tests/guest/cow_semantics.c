/* After fork, a write by the parent or by the child is private to the
 * writer: over one page, over many pages, and across three generations. */
#include "testlib.h"

#define PAGES 64
#define PAGE 4096

static char *region;

static void fill(char *p, int npages, char tag)
{
    for (int i = 0; i < npages; i++)
        memset(p + i * PAGE, tag + i % 7, PAGE);
}

/* 1 if every byte of every page is tag + page % 7 */
static int holds(const char *p, int npages, char tag)
{
    for (int i = 0; i < npages; i++)
        for (int j = 0; j < PAGE; j += 511)
            if (p[i * PAGE + j] != (char)(tag + i % 7))
                return 0;
    return 1;
}

static int child_writes(long tag)
{
    if (!holds(region, PAGES, 'a'))
        return 2; /* the child must first see the parent's data */
    fill(region, PAGES, (char)tag);
    return holds(region, PAGES, (char)tag) ? 0 : 3;
}

/* Three generations: each checks it inherited its parent's data, writes
 * its own, forks the next, and checks its own data survived the child. */
static int generation(long depth)
{
    char mine = (char)('A' + depth);
    char parents = (char)('A' + depth - 1);
    if (depth > 0 && !holds(region, PAGES, parents))
        return 10 + (int)depth;
    fill(region, PAGES, mine);
    if (depth < 3) {
        int pid = fork();
        if (pid == 0)
            exit(generation(depth + 1));
        int st = wait_status(pid);
        if (st != 0)
            return st;
    }
    return holds(region, PAGES, mine) ? 0 : 20 + (int)depth; /* a descendant's writes leaked into us */
}

int main(void)
{
    test_begin("cow_semantics");
    check_fork_shares();
    region = sbrk(PAGES * PAGE);
    CHECK(region != (char *)-1, "sbrk");
    fill(region, PAGES, 'a');

    /* child writes: parent unaffected */
    int pid = spawn(child_writes, 'x');
    CHECK(wait_status(pid) == 0, "child saw or wrote wrong data");
    CHECK(holds(region, PAGES, 'a'), "child's writes are visible in the parent");

    /* parent writes while the child is still alive and sharing */
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    pid = fork();
    if (pid == 0) {
        char c;
        close(fds[1]);
        read(fds[0], &c, 1); /* wait until the parent has written */
        exit(holds(region, PAGES, 'a') ? 0 : 1);
    }
    close(fds[0]);
    fill(region, PAGES, 'p');
    write(fds[1], "go", 1);
    close(fds[1]);
    CHECK(wait_status(pid) == 0, "parent's writes are visible in the child");
    CHECK(holds(region, PAGES, 'p'), "parent lost its own writes");

    /* a single byte on a single page */
    region[5] = 'z';
    pid = fork();
    if (pid == 0) {
        region[5] = 'y';
        exit(region[5] == 'y' ? 0 : 1);
    }
    CHECK(wait_status(pid) == 0, "child store");
    CHECK(region[5] == 'z', "parent byte changed to %c", region[5]);

    /* three generations */
    CHECK(generation(0) == 0, "three generations");

    struct memstat ms;
    memstat(&ms);
    printf("cow faults %lu, copied %lu, reused %lu\n", ms.cow_faults, ms.pages_copied, ms.pages_reused);
    sbrk(-(PAGES * PAGE));
    return test_end();
}
