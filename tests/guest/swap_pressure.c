/* Paging to swap (mm/evict.c, mm/swap.c): a working set larger than the
 * frames user pages may hold (mm.frames=N, or the guest's RAM), read and
 * written with every byte checked, under every fork and allocation
 * policy. One group per run (argv[1]):
 *
 *   working_set  1.5x the frames: written, checked, rewritten, checked
 *                (nothing lost, pages went out and came back).
 *   cow_shared   pages shared copy-on-write by a parent and two children
 *                are pushed out by each one's own work, then faulted back
 *                in and checked by each sharer, then written privately.
 *   fork_storm   children forked while the parent's working set is in
 *                swap, each checking part of it, eight at a time.
 *   file_map     a private mapping of a file larger than the frames, read
 *                twice: its clean pages are dropped and read again.
 *   oom          a child asks for more than RAM and swap hold together:
 *                it is killed, the parent carries on, every slot returns.
 *   write_error  the swap disk fails one write (blkdebug): the child
 *                whose page it held is killed when it touches the page,
 *                and nobody else notices.
 *   beyond_ram   one eager sbrk of more pages than RAM has free (swap
 *                holds the rest): granted, filled, every page checked.
 *   at_cap       forks and execs while other processes keep every frame
 *                user pages may hold taken: each still succeeds (the
 *                new process's USYSCALL page is a user page too, and
 *                the frame reclaim made for it may be gone by then).
 *
 * Each ends with the audit (every slot's count against the swap PTEs)
 * and the leak check of testlib. */
#include "testlib.h"
#include "kernel/fcntl.h"

#define PAGE 4096L

static struct memstat ms0;

/* The pages user memory may hold: mm.frames if set, else what is free. */
static long frames_for_user(void) { return ms0.frames_cap ? (long)ms0.frames_cap : (long)ms0.frames_free; }

static long word_of(long page, long k, long seed) { return page * 1000003L + k * 7919L + seed; }

/* Writes 4 words spread over every page of [p, p + n pages). */
static void fill(char *p, long n, long seed)
{
    for (long i = 0; i < n; i++)
        for (long k = 0; k < 4; k++)
            *(long *)(p + i * PAGE + k * 1016) = word_of(i, k, seed);
}

/* The pages whose words differ from fill's. */
static long bad_pages(const char *p, long from, long n, long seed)
{
    long bad = 0;
    for (long i = from; i < from + n; i++)
        for (long k = 0; k < 4; k++)
            if (*(const long *)(p + i * PAGE + k * 1016) != word_of(i, k, seed)) {
                bad++;
                break;
            }
    return bad;
}

static char *grab(long pages)
{
    char *p = sbrk((int)(pages * PAGE));
    return p == (char *)-1 ? 0 : p;
}

static void give_back(long pages) { sbrk((int)(-pages * PAGE)); }

static void working_set(void)
{
    long n = frames_for_user() * 3 / 2;
    char *p = grab(n);
    CHECK(p, "sbrk of %ld pages (1.5x the frames) failed", n);
    if (!p)
        return;
    fill(p, n, 1);
    CHECK(bad_pages(p, 0, n, 1) == 0, "pages lost after the first pass");
    fill(p, n, 2);
    CHECK(bad_pages(p, 0, n, 2) == 0, "pages lost after the second pass");
    struct memstat ms = memstat_now();
    CHECK(ms.swap_outs > ms0.swap_outs, "no page went to swap (%lu)", ms.swap_outs);
    CHECK(ms.swap_ins > ms0.swap_ins, "no page came back from swap (%lu)", ms.swap_ins);
    printf("working_set: %ld pages over %ld frames: %lu swapped out, %lu in, %lu dropped, %lu scans\n", n,
           frames_for_user(), ms.swap_outs - ms0.swap_outs, ms.swap_ins - ms0.swap_ins,
           ms.pages_dropped - ms0.pages_dropped, ms.evict_scans - ms0.evict_scans);
    give_back(n);
}

static void beyond_ram(void)
{
    long n = (long)ms0.frames_free + (long)ms0.frames_free / 8;
    CHECK(n < (long)(ms0.frames_free + ms0.swap_slots - ms0.swap_slots_used), "the swap disk is too small for this");
    char *p = grab(n);
    CHECK(p, "an eager sbrk of %ld pages (RAM has %lu free, swap %lu slots) was refused", n, ms0.frames_free,
          ms0.swap_slots);
    if (!p)
        return;
    fill(p, n, 4);
    CHECK(bad_pages(p, 0, n, 4) == 0, "pages lost");
    struct memstat ms = memstat_now();
    CHECK(ms.swap_outs > ms0.swap_outs, "no page went to swap");
    give_back(n);
}

/* A sharer: its own work pushes the shared pages out, then it checks
 * them and writes its own bytes. 0 or a failure code. */
static char *shared_area;
static long shared_n;

static int sharer(long who)
{
    long own_n = frames_for_user() / 2;
    char *own = grab(own_n);
    if (!own)
        return 2;
    fill(own, own_n, 100 + who);
    if (bad_pages(shared_area, 0, shared_n, 7))
        return 3;
    fill(shared_area, shared_n, 200 + who);
    if (bad_pages(own, 0, own_n, 100 + who) || bad_pages(shared_area, 0, shared_n, 200 + who))
        return 4;
    give_back(own_n);
    return 0;
}

static void cow_shared(void)
{
    shared_n = frames_for_user() / 2;
    shared_area = grab(shared_n);
    CHECK(shared_area, "sbrk failed");
    if (!shared_area)
        return;
    fill(shared_area, shared_n, 7);
    int a = spawn(sharer, 1), b = spawn(sharer, 2);
    CHECK(a > 0 && b > 0, "fork failed");
    int mine = sharer(0);
    CHECK(mine == 0, "the parent's check failed (%d)", mine);
    CHECK(wait_status(a) == 0, "first child failed");
    CHECK(wait_status(b) == 0, "second child failed");
    CHECK(bad_pages(shared_area, 0, shared_n, 200) == 0, "the parent's private bytes changed");
    give_back(shared_n);
}

static char *storm_area;
static long storm_n;

static int storm_child(long k)
{
    long part = storm_n / 8, from = (k % 8) * part;
    return bad_pages(storm_area, from, part, 9) ? 1 : 0;
}

static void fork_storm(void)
{
    storm_n = frames_for_user() * 5 / 4;
    storm_area = grab(storm_n);
    CHECK(storm_area, "sbrk failed");
    if (!storm_area)
        return;
    fill(storm_area, storm_n, 9);
    int pids[8];
    for (int round = 0; round < 3; round++) {
        for (int k = 0; k < 8; k++)
            pids[k] = spawn(storm_child, k + round);
        for (int k = 0; k < 8; k++) {
            int st = pids[k] > 0 ? wait_status(pids[k]) : -2;
            CHECK(st == 0, "round %d child %d: status %d (1: saw wrong bytes, -1: killed)", round, k, st);
        }
    }
    CHECK(bad_pages(storm_area, 0, storm_n, 9) == 0, "the parent's pages changed");
    give_back(storm_n);
}

static char file_byte(long i) { return (char)(i * 131 / 4096 + i % 251); }

static void file_map(void)
{
    long n = frames_for_user() * 5 / 4;
    CHECK(make_pattern_file("swapfile", n * PAGE, file_byte) == 0, "could not write the file");
    int fd = open("swapfile", O_RDONLY);
    CHECK(fd >= 0, "open");
    char *p = mmap(0, n * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED, "mmap");
    if (p != MAP_FAILED) {
        for (int pass = 0; pass < 2; pass++) {
            long bad = 0;
            for (long i = 0; i < n * PAGE; i += 509)
                bad += p[i] != file_byte(i);
            CHECK(bad == 0, "pass %d: %ld bytes differ from the file", pass, bad);
        }
        CHECK(munmap(p, n * PAGE) == 0, "munmap");
    }
    close(fd);
    struct memstat ms = memstat_now();
    CHECK(ms.pages_dropped > ms0.pages_dropped, "no clean page was dropped");
    unlink("swapfile");
}

static int hog(long pages)
{
    for (long i = 0; i < pages; i += 256) {
        char *p = grab(256);
        if (!p)
            return 0; /* sbrk said no before the kill: also fine */
        fill(p, 256, i);
    }
    return 1; /* never ran out: RAM and swap held it all */
}

static void oom(void)
{
    long all = (long)ms0.frames_total + (long)ms0.swap_slots;
    int pid = spawn(hog, all + 1024);
    int st = wait_status(pid);
    CHECK(st != 1, "a child holding more than RAM and swap was not stopped (status %d)", st);
    struct memstat ms = memstat_now();
    /* The child filled the swap; what stays in use is ours (our own
     * pages went out meanwhile); the audit at the end counts each slot. */
    CHECK(ms.swap_slots_used < ms0.swap_slots / 2, "swap slots held after the child died: %lu of %lu",
          ms.swap_slots_used, ms0.swap_slots);
    /* and the machine still works: a fresh working set */
    long n = frames_for_user() / 2;
    char *p = grab(n);
    CHECK(p, "sbrk after the OOM failed");
    if (p) {
        fill(p, n, 3);
        CHECK(bad_pages(p, 0, n, 3) == 0, "pages lost after the OOM");
        give_back(n);
    }
}

/* 1.5x the frames, written and read back: the child of write_error. */
static int churn(long seed)
{
    long n = frames_for_user() * 3 / 2;
    char *p = grab(n);
    if (!p)
        return 2;
    fill(p, n, seed);
    return bad_pages(p, 0, n, seed) ? 1 : 0;
}

static void write_error(void)
{
    int st = wait_status(spawn(churn, 5));
    CHECK(st == -1, "the child whose page was lost should have been killed (status %d)", st);
    struct memstat ms = memstat_now();
    CHECK(ms.swap_write_errors == ms0.swap_write_errors + 1, "swap write errors %lu", ms.swap_write_errors);
    /* the rest of the swap disk still works */
    CHECK(wait_status(spawn(churn, 6)) == 0, "a second working set failed");
}

/* Until killed: writes 3/4 of the frames over and over (two of them:
 * 1.5x, so each one's faults evict the other's pages). */
static int churner(long seed)
{
    long n = frames_for_user() * 3 / 4;
    char *p = grab(n);
    if (!p)
        return 2;
    for (;;)
        fill(p, n, seed++);
}

static int quiet_child(long arg) { return (int)arg; }

static void at_cap(void)
{
    int churners[2];
    for (int i = 0; i < 2; i++)
        churners[i] = spawn(churner, 100 * i);
    long n = frames_for_user() / 4;
    char *p = grab(n);
    CHECK(p, "sbrk failed");
    if (p)
        fill(p, n, 7);
    int failed_forks = 0, failed_execs = 0;
    for (int i = 0; i < 64; i++) {
        int pid = spawn(quiet_child, i % 7);
        if (pid < 0 || wait_status(pid) != i % 7)
            failed_forks++;
        if (i % 8 == 0) {
            pid = fork();
            if (pid == 0) {
                char *argv[] = {"/bin/echo", 0};
                exec("/bin/echo", argv);
                exit(99);
            }
            if (pid < 0 || wait_status(pid) != 0)
                failed_execs++;
        }
    }
    CHECK(failed_forks == 0, "%d of 64 forks failed with user pages at the cap", failed_forks);
    CHECK(failed_execs == 0, "%d of 8 execs failed with user pages at the cap", failed_execs);
    for (int i = 0; i < 2; i++) {
        kill(churners[i]);
        CHECK(wait_status(churners[i]) == -1, "a churner ended by itself");
    }
    if (p) {
        CHECK(bad_pages(p, 0, n, 7) == 0, "the parent's pages changed");
        give_back(n);
    }
}

int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : "working_set";
    test_begin("swap_pressure");
    ms0 = memstat_now();
    CHECK(ms0.evict_active, "eviction is not active (no swap disk, no mm.frames)");
    if (!ms0.evict_active)
        return test_end();
    if (!strcmp(group, "working_set"))
        working_set();
    else if (!strcmp(group, "cow_shared"))
        cow_shared();
    else if (!strcmp(group, "fork_storm"))
        fork_storm();
    else if (!strcmp(group, "file_map"))
        file_map();
    else if (!strcmp(group, "oom"))
        oom();
    else if (!strcmp(group, "write_error"))
        write_error();
    else if (!strcmp(group, "beyond_ram"))
        beyond_ram();
    else if (!strcmp(group, "at_cap"))
        at_cap();
    else
        CHECK(0, "unknown group %s", group);
    return test_end();
}
