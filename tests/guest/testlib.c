#include "testlib.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "rvos/usyscall.h"

/* The image's bounds (userland/user.ld): text from 0x10000, data from the
 * page __global_pointer$ points 0x800 into, _end after the bss. */
extern char image_end[] __asm__("_end");
extern char global_pointer[] __asm__("__global_pointer$");
#define IMAGE_START 0x10000UL

int test_failures;
static const char *test_name;
static unsigned long baseline;
static struct memstat begun; /* memstat at test_begin, after the baseline */

unsigned long free_frames(void)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    if (memstat(&ms) < 0)
        return 0;
    return ms.frames_free;
}

unsigned long free_frames_and_tables(void)
{
    struct memstat ms = memstat_now();
    return ms.frames_free + ms.tables_mine;
}

/* Frames free plus frames holding user pages, plus the test's own
 * page-table pages: constant across a test that leaks nothing, even when
 * eviction moved pages (the test's own, its parent's) between RAM and
 * swap meanwhile, and when the test's heap grew and shrank back (it keeps
 * the tables it grew into). Without eviction the second term is 0. */
static unsigned long frames_accounted(void)
{
    struct memstat ms = memstat_now();
    return ms.frames_free + (ms.evict_active ? ms.frames_listed : 0) + ms.tables_mine;
}

__attribute__((noinline)) void stack_private(void)
{
    volatile char below[2048];
    for (unsigned i = 0; i < sizeof below; i += 64)
        below[i] = 0;
}

int store_without_memory(char *addr, char value)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -3;
    int pid = fork();
    if (pid == 0) {
        char c;
        close(fds[1]);
        read(fds[0], &c, 1); /* also makes our stack page private */
        mmfail(0, 0);
        *(volatile char *)addr = value;
        exit(0);
    }
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        return -3;
    }
    stack_private();
    write(fds[1], "x", 1);
    close(fds[1]);
    return wait_status(pid);
}

int str_contains(const char *s, const char *want)
{
    int n = (int)strlen(want);
    for (; *s; s++)
        if (strncmp(s, want, n) == 0)
            return 1;
    return 0;
}

unsigned long fork_promises(void)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    if (memstat(&ms) < 0)
        return 0;
    return ms.fork_promises;
}

int alloc_lazy(void)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    if (memstat(&ms) < 0)
        return 0;
    return strcmp(ms.alloc_policy, "lazy") == 0;
}

/* The value of the last option key (e.g. "mm.fork=") among the kernel's
 * own options (those before "--"; the kernel lets the last one win too),
 * copied into out, or 0 if the command line has none. */
static const char *cmdline_option(const char *key, char *out, int max)
{
    static char line[512];
    if (cmdline(line, sizeof line) < 0)
        return 0;
    line[sizeof line - 1] = 0;
    const char *found = 0;
    int found_len = 0;
    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *word = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        int len = (int)(p - word);
        if (len == 2 && word[0] == '-' && word[1] == '-')
            break;
        int klen = (int)strlen(key);
        if (len >= klen && strncmp(word, key, klen) == 0) {
            found = word + klen;
            found_len = len - klen;
        }
    }
    if (!found)
        return 0;
    if (found_len > max - 1)
        found_len = max - 1;
    memcpy(out, found, found_len);
    out[found_len] = 0;
    return out;
}

unsigned long fork_promised(void)
{
    static const struct {
        const char *name;
        unsigned long promises;
    } promised[] = {
        {"cow", FORK_SHARES_ALL},
        {"copy", FORK_COPIES_ALL},
        {"odf", FORK_SHARES_ALL | FORK_SHARES_TABLES},
    };
    char asked[32];
    if (cmdline_option("mm.fork=", asked, sizeof asked))
        for (unsigned i = 0; i < sizeof promised / sizeof promised[0]; i++)
            if (strcmp(asked, promised[i].name) == 0)
                return promised[i].promises;
    return 0;
}

void check_fork_shares(void)
{
    unsigned long promised = fork_promised();
    if (!(promised & (FORK_SHARES_ALL | FORK_SHARES_TABLES)))
        return;
    char *mem = sbrk(SHARE_CHECK_PAGES * PGSIZE);
    CHECK(mem != (char *)-1, "sbrk of %d pages for the sharing check", SHARE_CHECK_PAGES);
    if (mem == (char *)-1)
        return;
    for (int i = 0; i < SHARE_CHECK_PAGES; i++)
        mem[i * PGSIZE] = (char)(i + 1);
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    stack_private();
    unsigned long before = free_frames();
    int pid = fork();
    if (pid == 0) {
        /* Counted here, while the child lives: its tables, its kernel
         * stack and a page or two its stack writes copy, but none of the
         * parent's heap pages. */
        struct memstat ms = memstat_now();
        long seen[3] = {(long)(before - ms.frames_free), (long)ms.tables_shared, 0};
        for (int i = 0; i < SHARE_CHECK_PAGES; i++)
            if (mem[i * PGSIZE] != (char)(i + 1))
                seen[2]++;
        write(fds[1], seen, sizeof seen);
        exit(0);
    }
    CHECK(pid > 0, "fork for the sharing check");
    close(fds[1]);
    long seen[3] = {0, 0, 0};
    if (pid > 0) {
        CHECK(read(fds[0], seen, sizeof seen) == sizeof seen, "the sharing check's child reported nothing");
        wait_status(pid);
        CHECK(seen[2] == 0, "the child of the sharing check saw %ld of %d pages wrong", seen[2], SHARE_CHECK_PAGES);
        if (promised & FORK_SHARES_ALL)
            CHECK(seen[0] < SHARE_CHECK_PAGES / 2,
                  "a fork that promises to share every page used %ld frames for a parent with %d written pages "
                  "(the child's pages are copies, not the parent's frames)",
                  seen[0], SHARE_CHECK_PAGES);
        if (promised & FORK_SHARES_TABLES)
            CHECK(seen[1] > 0, "a fork that promises to share level-0 tables left none shared (tables_shared %ld)",
                  seen[1]);
    }
    close(fds[0]);
    sbrk(-(SHARE_CHECK_PAGES * PGSIZE));
}

/* Under a lazy allocation policy the program's own pages come in as it
 * first touches them, and stay: a test that counted free frames at
 * test_begin would find them missing at test_end. So every page of the
 * image (text and read-only data read, data and bss written with their
 * own bytes) and of the stack below us is brought in before the baseline
 * is taken; under eager this changes nothing. */
__attribute__((noinline)) static void prefault_image(void)
{
    uint64 data = PGROUNDDOWN((uint64)global_pointer - 0x800);
    for (uint64 a = IMAGE_START; a < (uint64)image_end; a += PGSIZE) {
        volatile char *c = (volatile char *)a;
        if (a < data)
            (void)*c;
        else
            *c = *c;
    }
    /* the stack: every page of the USERSTACK pages exec gave us, from
     * well below our own frame down */
    uint64 sp = r_sp();
    uint64 lowest = USYSCALL - (uint64)USERSTACK * PGSIZE; /* the stack ends below the USYSCALL page */
    for (uint64 a = lowest; a + 512 < sp; a += 256)
        *(volatile char *)a = 0;
}

void test_begin(const char *name)
{
    prefault_image();
    test_name = name;
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    CHECK(memstat(&ms) == 0, "memstat");
    baseline = frames_accounted();
    begun = memstat_now();
    printf("test %s: start (fork policy %s, allocation policy %s, %lu of %lu frames free)\n", name, ms.fork_policy,
           ms.alloc_policy, ms.frames_free, ms.frames_total);
    /* Each ctest entry names its policy on the command line: a kernel that
     * ran another one would make this entry's verdict about the wrong
     * policy. */
    char asked[32];
    if (cmdline_option("mm.fork=", asked, sizeof asked))
        CHECK(strcmp(asked, ms.fork_policy) == 0, "the command line asks for mm.fork=%s but the kernel runs %s", asked,
              ms.fork_policy);
    /* What the tests check depends on what the policy promises; the
     * command line names the policy, so the promises the kernel reports
     * must be that policy's (a cow that claimed to promise nothing would
     * make the tests skip their COW checks). */
    unsigned long promised = fork_promised();
    if (cmdline_option("mm.fork=", asked, sizeof asked) && promised)
        CHECK(ms.fork_promises == promised, "mm.fork=%s promises 0x%lx, but the kernel reports 0x%lx", asked, promised,
              ms.fork_promises);
    /* sched=stride: the scheduler the entry names takes tickets (a
     * settickets that fails, the sched lab's stub, fails the entry). The
     * count is put back as it was. */
    if (cmdline_option("sched=", asked, sizeof asked) && strcmp(asked, "stride") == 0) {
        int old = settickets(7);
        CHECK(old > 0 && settickets(old) == 7, "sched=stride: settickets does not keep the count (%d)", old);
    }
    if (cmdline_option("mm.alloc=", asked, sizeof asked))
        CHECK(strcmp(asked, ms.alloc_policy) == 0, "the command line asks for mm.alloc=%s but the kernel runs %s",
              asked, ms.alloc_policy);
}

int spawn(int (*fn)(long), long arg)
{
    int pid = fork();
    if (pid == 0)
        exit(fn(arg));
    return pid;
}

/* Statuses of children reaped while waiting for another one. */
#define REAPED_MAX 64
static struct {
    int pid, status;
} reaped[REAPED_MAX];
static int nreaped;

int wait_status(int pid)
{
    for (int i = 0; i < nreaped; i++)
        if (reaped[i].pid == pid) {
            int st = reaped[i].status;
            reaped[i] = reaped[--nreaped];
            return st;
        }
    for (;;) {
        int status;
        int w = wait(&status);
        if (w < 0)
            return -1000;
        if (w == pid)
            return status;
        if (nreaped < REAPED_MAX) {
            reaped[nreaped].pid = w;
            reaped[nreaped].status = status;
            nreaped++;
        }
    }
}

/* An eviction policy the command line names that chooses by the pages'
 * use (mm.evict=clock or aging: a page referenced since the hand last
 * passed is kept, the hand moves on) passes over pages: over a test that
 * evicted many, it looked at clearly more frames than it evicted. One
 * that takes whatever the hand finds first (fifo, or the evict lab's stub)
 * looks at one frame per eviction, plus the few a race or a failed
 * eviction wastes. */
#define EVICT_CHECK_MIN 64
static void check_evict_chooses(void)
{
    char asked[16];
    if (!cmdline_option("mm.evict=", asked, sizeof asked) || (strcmp(asked, "clock") && strcmp(asked, "aging")))
        return;
    struct memstat now = memstat_now();
    unsigned long evictions = now.evictions - begun.evictions, scans = now.evict_scans - begun.evict_scans;
    printf("test %s: mm.evict=%s: %lu evictions, %lu frames looked at\n", test_name, asked, evictions, scans);
    if (evictions >= EVICT_CHECK_MIN)
        CHECK(scans * 4 >= evictions * 5,
              "mm.evict=%s looked at %lu frames for %lu evictions: it kept no page it found in use (it evicts "
              "as fifo does)",
              asked, scans, evictions);
}

int test_end(void)
{
    while (wait(0) >= 0) /* reap anything left behind */
        ;
    nreaped = 0;
    check_evict_chooses();
    int before = test_failures;
    int problems = mmaudit();
    CHECK(problems == 0, "mm audit found %d problem(s)", problems);
    unsigned long now = frames_accounted();
    CHECK(now == baseline, "free frames %lu, baseline %lu (%ld leaked)", now, baseline, (long)(baseline - now));
    /* Booted with test.memory=apart (graded entries whose lab grades
     * memory on a line of its own, e.g. cow_memory): the audit and the
     * frame count get a line of their own and do not decide the verdict,
     * so that one leak costs the memory line's points, not every test's. */
    char apart[8];
    if (cmdline_option("test.memory=", apart, sizeof apart) && strcmp(apart, "apart") == 0) {
        printf("test %s: memory %s\n", test_name, test_failures > before ? "FAILED" : "passed");
        test_failures = before;
    }
    /* The harness boots each run with a fresh random verdict=TOKEN and
     * counts only a verdict line that carries it: a line the kernel or the
     * C runtime prints does not know it. */
    char token[40];
    if (!cmdline_option("verdict=", token, sizeof token))
        token[0] = 0;
    const char *open = token[0] ? " [verdict " : "", *close = token[0] ? "]" : "";
    if (test_failures)
        printf("test %s: FAILED (%d failure(s))%s%s%s\n", test_name, test_failures, open, token, close);
    else
        printf("test %s: passed%s%s%s\n", test_name, open, token, close);
    return test_failures ? 1 : 0;
}

int run_capture(char **argv, const char *dir, const char *input, char *out, int size)
{
    int o[2], in[2] = {-1, -1};
    if (pipe(o) < 0 || (input && pipe(in) < 0))
        return -2000;
    int pid = fork();
    if (pid == 0) {
        if (dir && chdir(dir) < 0)
            exit(126);
        close(1);
        dup(o[1]);
        close(2);
        dup(o[1]);
        close(o[0]);
        close(o[1]);
        close(0);
        if (input) {
            dup(in[0]);
            close(in[0]);
            close(in[1]);
        }
        exec(argv[0], argv);
        exit(127);
    }
    close(o[1]);
    if (input) {
        close(in[0]);
        write(in[1], input, strlen(input));
        close(in[1]);
    }
    int n = 0, r;
    while (n < size - 1 && (r = read(o[0], out + n, size - 1 - n)) > 0)
        n += r;
    out[n] = 0;
    close(o[0]);
    return wait_status(pid);
}

char *align_break(void)
{
    long b = (long)sbrk(0);
    long up = (b + PGSIZE - 1) & ~(PGSIZE - 1);
    if (up != b)
        sbrk((int)(up - b));
    return sbrk(0);
}

struct memstat memstat_now(void)
{
    struct memstat ms;
    memset(&ms, 0, sizeof ms);
    memstat(&ms);
    return ms;
}

int make_pattern_file(const char *path, long len, char (*pat)(long))
{
    int fd = open(path, O_CREATE | O_RDWR | O_TRUNC);
    if (fd < 0)
        return -1;
    char chunk[512];
    for (long off = 0; off < len; off += (long)sizeof chunk) {
        long n = len - off < (long)sizeof chunk ? len - off : (long)sizeof chunk;
        for (long i = 0; i < n; i++)
            chunk[i] = pat(off + i);
        if (write(fd, chunk, (int)n) != n) {
            close(fd);
            return -1;
        }
    }
    close(fd);
    return 0;
}
