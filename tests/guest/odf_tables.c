/* Shared page tables (the odf fork policy, promise FORK_SHARES_TABLES):
 * a fork shares the parent's level-0 tables; the first write through one
 * copies the table and then the page; a second write through the same
 * (now private) table copies only the page; the other holder, left alone
 * with the old table, reuses the frame without copying anything; a table
 * copy that finds no free frame kills the writer and nobody else. Under
 * every policy: writes stay private, the audit is clean, nothing leaks. */
#include "testlib.h"

#define PAGES 1024 /* 4 MiB: at least one whole level-0 table */

static void stats(struct memstat *m)
{
    struct memstat throwaway;
    memstat(&throwaway); /* the stack page is private before we count */
    memstat(m);
}

int main(void)
{
    test_begin("odf_tables");
    char *mem = sbrk(PAGES * 4096);
    CHECK(mem != (char *)-1, "sbrk");
    memset(mem, 1, PAGES * 4096);
    /* a page in the middle of the heap: its table maps heap pages only */
    char *p = (char *)(((unsigned long)mem + 2 * 1024 * 1024) & ~(2UL * 1024 * 1024 - 1));
    int tables = (fork_promises() & FORK_SHARES_TABLES) != 0;
    struct memstat a, b;

    int go[2], done[2];
    pipe(go);
    pipe(done);
    stats(&a);
    int pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        close(done[0]);
        read(go[0], &c, 1); /* the parent has written p[0] and p[4096] */
        stats(&a);
        CHECK(p[0] == 1 && p[4096] == 1, "the child sees the parent's writes: %d %d", p[0], p[4096]);
        p[0] = 5; /* our table is ours alone now, and so is the frame */
        stats(&b);
        if (tables) {
            CHECK(b.tables_copied == a.tables_copied, "the last holder copied a table");
            CHECK(b.pages_reused - a.pages_reused == 1 && b.pages_copied == a.pages_copied,
                  "last holder: reused %lu, copied %lu", b.pages_reused - a.pages_reused,
                  b.pages_copied - a.pages_copied);
        }
        CHECK(mmaudit() == 0, "audit in the child");
        write(done[1], "x", 1);
        exit(p[0] == 5 && p[4096] == 1 ? 0 : 1);
    }
    CHECK(pid > 0, "fork");
    close(go[0]);
    close(done[1]);
    stats(&b);
    if (tables)
        CHECK(b.tables_shared >= 2, "tables shared after a fork of a 4 MiB heap: %lu", b.tables_shared);
    CHECK(mmaudit() == 0, "audit after fork");

    stats(&a);
    p[0] = 2; /* copies the table, then the page */
    stats(&b);
    if (tables)
        CHECK(b.tables_copied - a.tables_copied == 1, "first write: %lu tables copied",
              b.tables_copied - a.tables_copied);
    if (fork_promises() & FORK_SHARES_ALL)
        CHECK(b.pages_copied - a.pages_copied == 1, "first write: %lu pages copied", b.pages_copied - a.pages_copied);
    stats(&a);
    p[4096] = 3; /* the table is private now: only the page is copied */
    stats(&b);
    if (tables)
        CHECK(b.tables_copied == a.tables_copied, "second write copied %lu tables", b.tables_copied - a.tables_copied);
    if (fork_promises() & FORK_SHARES_ALL)
        CHECK(b.pages_copied - a.pages_copied == 1, "second write: %lu pages copied", b.pages_copied - a.pages_copied);
    CHECK(mmaudit() == 0, "audit after the parent's writes");
    write(go[1], "x", 1);
    char c;
    read(done[0], &c, 1);
    CHECK(p[0] == 2 && p[4096] == 3, "the parent's writes stayed: %d %d", p[0], p[4096]);
    CHECK(wait_status(pid) == 0, "child");
    close(go[1]);
    close(done[0]);

    /* A table copy with no frame left: the writer dies, the rest goes on. */
    if (tables) {
        int st = store_without_memory(&p[8192], 'c'); /* the table copy finds no frame */
        CHECK(st == -1, "child copying a table with no memory left exited %d", st);
        CHECK(p[8192] == 1, "parent page changed");
        CHECK(mmaudit() == 0, "audit after the killed writer");
    }
    sbrk(-(PAGES * 4096));
    return test_end();
}
