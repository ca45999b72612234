/* Lab syscall: sysinfo(). Free memory must agree with memstat's free
 * frames (nothing else runs, and nothing allocates between the two calls),
 * the process count must follow forks and waits exactly, and bad pointers
 * get -1. */
#include "testlib.h"
#include "rvos/sysinfo.h"

int main(void);

static struct sysinfo info(void)
{
    struct sysinfo si;
    memset(&si, 0xab, sizeof si);
    CHECK(sysinfo(&si) == 0, "sysinfo");
    return si;
}

/* sysinfo's free memory against memstat's, both read back to back. The
 * structures are on the stack already, so neither call faults a page in. */
static void check_freemem(const char *when)
{
    struct memstat ms;
    struct sysinfo si;
    memset(&ms, 0, sizeof ms);
    memset(&si, 0, sizeof si);
    CHECK(sysinfo(&si) == 0 && memstat(&ms) == 0, "%s: sysinfo, memstat", when);
    CHECK(si.freemem == ms.frames_free * 4096, "%s: freemem %lu, memstat says %lu frames", when, si.freemem,
          ms.frames_free);
}

/* Children that wait on a pipe until the parent closes it. */
static int blocked(long fd)
{
    char c;
    read((int)fd, &c, 1);
    return 0;
}

static void nproc_follows_fork(void)
{
    unsigned long base = info().nproc;
    CHECK(base == 1, "only this test runs, yet nproc is %lu", base);
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    int pids[5];
    for (int i = 0; i < 5; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            close(p[1]);
            exit(blocked(p[0]));
        }
        CHECK(pids[i] > 0, "fork %d", i);
        CHECK(info().nproc == base + (unsigned long)i + 1, "after fork %d: nproc %lu", i, info().nproc);
    }
    check_freemem("children blocked");
    close(p[0]);
    close(p[1]); /* the children read end-of-file and exit */
    /* Each wait frees exactly one slot, whichever child it reaps: the
     * others count whether they still run or are zombies already. */
    for (int i = 0; i < 5; i++) {
        int status = -1;
        CHECK(wait(&status) > 0 && status == 0, "wait %d", i);
        CHECK(info().nproc == base + 4 - (unsigned long)i, "after wait %d: nproc %lu", i, info().nproc);
    }
}

static void freemem_follows_memory(void)
{
    check_freemem("start");
    unsigned long before = info().freemem;
    char *p = sbrk(16 * 4096);
    CHECK(p != (char *)-1, "sbrk");
    for (int i = 0; i < 16; i++)
        p[i * 4096] = 1;
    unsigned long after = info().freemem;
    CHECK(after + 16 * 4096 <= before, "16 more pages in use, yet freemem went from %lu to %lu", before, after);
    check_freemem("heap grown");
    sbrk(-16 * 4096);
    CHECK(info().freemem == before, "heap shrunk back: freemem %lu, was %lu", info().freemem, before);
    check_freemem("heap shrunk");
}

/* The classic sysinfotest's accounting: grow the heap a page at a time
 * until sbrk fails (then nothing is free), shrink it back, and free memory
 * is exactly what sbrk got (the heap keeps its page tables, as in the
 * classic kernel); a page more and a page less move it by a page. */
static void freemem_is_what_sbrk_gets(void)
{
    char *start = sbrk(0);
    unsigned long got = 0;
    while (sbrk(4096) != (char *)-1)
        got += 4096;
    CHECK(info().freemem == 0, "sbrk failed with freemem %lu", info().freemem);
    sbrk(-(int)(sbrk(0) - start));
    CHECK(sbrk(0) == start, "the break did not come back");
    CHECK(info().freemem == got, "after shrinking: freemem %lu, sbrk got %lu", info().freemem, got);
    CHECK(sbrk(4096) != (char *)-1, "sbrk of a page after shrinking");
    CHECK(info().freemem == got - 4096, "a page more: freemem %lu, expected %lu", info().freemem, got - 4096);
    sbrk(-4096);
    CHECK(info().freemem == got, "a page less: freemem %lu, expected %lu", info().freemem, got);
}

static void bad_pointers(void)
{
    CHECK(sysinfo(0) == -1, "NULL");
    CHECK(sysinfo((struct sysinfo *)0x3000000000UL) == -1, "unmapped");
    CHECK(sysinfo((struct sysinfo *)0xffffffc080200000UL) == -1, "kernel address");
    CHECK(sysinfo((struct sysinfo *)(void *)main) == -1, "text (read-only)");
    /* Straddling the end of the heap: the first half fits, the rest does not. */
    char *end = (char *)(((unsigned long)sbrk(0) + 4095) & ~4095UL);
    CHECK(sysinfo((struct sysinfo *)(end - 8)) == -1, "straddles the end of the heap");
    CHECK(sysinfo((struct sysinfo *)0x3EFFFFF000UL) == -1, "the read-only USYSCALL page");
}

int main(void)
{
    test_begin("syscall_info");
    struct sysinfo si = info();
    CHECK(si.freemem > 0 && si.freemem % 4096 == 0, "freemem %lu", si.freemem);
    nproc_follows_fork();
    freemem_follows_memory();
    freemem_is_what_sbrk_gets();
    bad_pointers();
    return test_end();
}
