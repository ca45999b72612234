/* System calls on pages that are reserved but not yet present (sbrklazy,
 * under either allocation policy): read into one, write from one, pipe
 * into one, fstat and memstat into one, exec arguments and paths from
 * one, wait's status into a file page not read in yet. The kernel faults them in as a user access would; a pointer
 * beyond the break still gets -1, and the caller lives on. */
#include "testlib.h"

#define PAGE 4096L
#define DATA_LEN (3 * PAGE + 10)
#define SELF "/tests/lazy_syscalls"

static char pattern(long i) { return (char)('a' + (i * 7 + i / PAGE) % 26); }

static int load_at(long addr) { return *(volatile char *)addr == 0 ? 0 : 1; }

/* read() from a file into four absent pages, at an offset */
static void read_into_absent(void)
{
    char *buf = sbrklazy((int)(5 * PAGE));
    CHECK(buf != SBRK_ERROR, "sbrklazy");
    if (buf == SBRK_ERROR)
        return;
    struct memstat a = memstat_now();
    int fd = open("/lzs.dat", O_RDONLY);
    CHECK(fd >= 0, "open /lzs.dat");
    int n = read(fd, buf + 100, (int)DATA_LEN);
    close(fd);
    struct memstat b = memstat_now();
    CHECK(n == DATA_LEN, "read of %ld bytes into absent pages returned %d", DATA_LEN, n);
    int wrong = 0;
    for (long i = 0; i < DATA_LEN; i++)
        wrong += buf[100 + i] != pattern(i);
    for (long i = 0; i < 100; i++)
        wrong += buf[i] != 0;
    CHECK(wrong == 0, "%d bytes wrong after the read", wrong);
    CHECK(b.lazy_faults >= a.lazy_faults + 4, "a read into 4 absent pages made %lu lazy faults",
          b.lazy_faults - a.lazy_faults);
    CHECK(buf[4 * PAGE + 99] == 0, "the page after the read is not zero");
    sbrklazy((int)(-5 * PAGE));
}

/* write() from absent pages writes zeros */
static void write_from_absent(void)
{
    char *buf = sbrklazy((int)(3 * PAGE));
    if (buf == SBRK_ERROR)
        return;
    int fd = open("/lzs.out", O_CREATE | O_RDWR | O_TRUNC);
    CHECK(fd >= 0, "create /lzs.out");
    CHECK(write(fd, buf + 10, (int)(2 * PAGE)) == 2 * PAGE, "write of 2 pages from absent pages");
    close(fd);
    fd = open("/lzs.out", O_RDONLY);
    char chunk[256];
    long total = 0;
    int nonzero = 0, n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
        for (int i = 0; i < n; i++)
            nonzero += chunk[i] != 0;
        total += n;
    }
    close(fd);
    CHECK(total == 2 * PAGE && nonzero == 0, "the file holds %ld bytes, %d of them not zero", total, nonzero);
    /* and from pages already written: the data itself */
    memset(buf + PAGE, 'q', PAGE);
    fd = open("/lzs.out", O_RDWR | O_TRUNC);
    CHECK(write(fd, buf + PAGE - 5, 10) == 10, "write across an absent and a present page");
    close(fd);
    fd = open("/lzs.out", O_RDONLY);
    CHECK(read(fd, chunk, 10) == 10 && memcmp(chunk, "\0\0\0\0\0qqqqq", 10) == 0, "bytes across the boundary");
    close(fd);
    unlink("/lzs.out");
    sbrklazy((int)(-3 * PAGE));
}

/* pipe() into an absent page, and a pipe's data read into absent pages */
static void pipe_into_absent(void)
{
    char *buf = sbrklazy((int)(5 * PAGE));
    if (buf == SBRK_ERROR)
        return;
    int *fds = (int *)(buf + 2 * PAGE - 4); /* the two descriptors straddle two absent pages */
    CHECK(pipe(fds) == 0, "pipe into absent pages");
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        char chunk[512];
        for (long off = 0; off < 2 * PAGE; off += (long)sizeof chunk) {
            for (int i = 0; i < (int)sizeof chunk; i++)
                chunk[i] = pattern(off + i);
            if (write(fds[1], chunk, sizeof chunk) != sizeof chunk)
                exit(1);
        }
        exit(0);
    }
    close(fds[1]);
    char *dst = buf + 2 * PAGE + 300; /* absent pages after the descriptors */
    long got = 0;
    int n;
    while (got < 2 * PAGE && (n = read(fds[0], dst + got, (int)(2 * PAGE - got))) > 0)
        got += n;
    close(fds[0]);
    CHECK(wait_status(pid) == 0, "pipe writer");
    int wrong = 0;
    for (long i = 0; i < got; i++)
        wrong += dst[i] != pattern(i);
    CHECK(got == 2 * PAGE && wrong == 0, "read %ld of %ld bytes through the pipe, %d wrong", got, 2 * PAGE, wrong);
    sbrklazy((int)(-5 * PAGE));
}

/* fstat and memstat into absent pages (the structure straddling two) */
static void stat_into_absent(void)
{
    char *buf = sbrklazy((int)(5 * PAGE));
    if (buf == SBRK_ERROR)
        return;
    struct stat *st = (struct stat *)(buf + PAGE - 8);
    int fd = open("/lzs.dat", O_RDONLY);
    CHECK(fstat(fd, st) == 0, "fstat into absent pages");
    CHECK(st->type == T_FILE && st->size == (unsigned long)DATA_LEN, "fstat: type %d size %lu", st->type, st->size);
    close(fd);
    CHECK(stat("/lzs.dat", (struct stat *)(buf + 2 * PAGE)) == 0 && ((struct stat *)(buf + 2 * PAGE))->size == DATA_LEN,
          "stat into an absent page");
    struct memstat *ms = (struct memstat *)(buf + 4 * PAGE - 16);
    CHECK(memstat(ms) == 0 && ms->frames_total > 0, "memstat into absent pages");
    sbrklazy((int)(-5 * PAGE));
}

/* exec's path and arguments in lazily reserved pages: an argv array that
 * straddles a page boundary, a string that does, and one that points at
 * an absent page (the empty string) */
static void exec_from_absent(void)
{
    char *area = sbrklazy((int)(6 * PAGE));
    if (area == SBRK_ERROR)
        return;
    /* copyinstr from absent pages: the empty string, which names nothing */
    CHECK(open(area + 5 * PAGE, O_RDONLY) == -1, "open of an absent (empty) path");
    CHECK(exec(area + 5 * PAGE + 8, (char **)(area + 4 * PAGE)) == -1, "exec of an absent (empty) path");

    char *path = area + PAGE + 100;
    strcpy(path, SELF);
    char *arg1 = area + PAGE + 300;
    strcpy(arg1, "execargs");
    char *straddle = area + 3 * PAGE - 3;
    strcpy(straddle, "straddle");
    char *end = area + 3 * PAGE + 64;
    strcpy(end, "end");
    char **argv = (char **)(area + PAGE - 2 * sizeof(char *));
    argv[0] = path;
    argv[1] = arg1;
    argv[2] = area + 4 * PAGE + 16; /* never touched: "" */
    argv[3] = straddle;
    argv[4] = end;
    argv[5] = 0;
    int pid = fork();
    if (pid == 0) {
        exec(path, argv);
        exit(99);
    }
    CHECK(wait_status(pid) == 0, "exec with arguments in lazily reserved pages");
    sbrklazy((int)(-6 * PAGE));
}

/* Every system call that writes to user memory, into file-backed pages
 * not yet present (a private mapping of a file): the kernel must read the
 * file's page in first, wherever in the call it copies out (wait copies
 * the status while it holds the process locks). */
static void copyout_to_file_pages(void)
{
    int fd = open("/lzs.dat", O_RDONLY);
    char *m = mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    CHECK(m != MAP_FAILED, "mmap of /lzs.dat");
    if (m == MAP_FAILED)
        return;
    int pid = fork();
    if (pid == 0)
        exit(7);
    int *status = (int *)(m + 8);
    int w = wait(status);
    CHECK(w == pid && *status == 7, "wait() with its status in an absent file page returned %d, status %d (pid %d)", w,
          *status, pid);
    if (w != pid)
        wait_status(pid);
    CHECK(m[0] == pattern(0) && m[12] == pattern(12), "the file bytes around wait's status");
    int *fds = (int *)(m + PAGE + 40);
    CHECK(pipe(fds) == 0, "pipe() into an absent file page");
    if (fds[0] >= 0 && fds[0] != fds[1]) {
        close(fds[0]);
        close(fds[1]);
    }
    struct stat *st = (struct stat *)(m + 2 * PAGE + 100);
    CHECK(stat("/lzs.dat", st) == 0 && st->size == DATA_LEN, "stat() into an absent file page");
    CHECK(munmap(m, 3 * PAGE) == 0, "munmap");
}

/* Beyond the break: -1 from every call, and the caller lives on. */
static void beyond_break(void)
{
    char *end = align_break();
    int fd = open("/lzs.dat", O_RDONLY);
    int out = open("/lzs.out", O_CREATE | O_RDWR);
    CHECK(read(fd, end, 10) == -1, "read beyond the break");
    CHECK(read(fd, end + 100 * PAGE, 10) == -1, "read far beyond the break");
    CHECK(write(out, end, 10) == -1, "write from beyond the break");
    CHECK(pipe((int *)end) == -1, "pipe beyond the break");
    CHECK(fstat(fd, (struct stat *)end) == -1, "fstat beyond the break");
    CHECK(memstat((struct memstat *)end) == -1, "memstat beyond the break");
    CHECK(open(end, O_RDONLY) == -1, "open of a path beyond the break");
    char *none[] = {SELF, 0};
    CHECK(exec(end, none) == -1, "exec of a path beyond the break");
    char *bad_argv[] = {SELF, end, 0};
    CHECK(exec(SELF, bad_argv) == -1, "exec of an argument beyond the break");

    /* a buffer that starts reserved and runs past the break */
    char *last = sbrklazy((int)PAGE);
    CHECK(last == end, "sbrklazy");
    int n = read(fd, last + PAGE - 10, 100);
    CHECK(n < 100, "a read running past the break returned %d", n);
    n = write(out, last + PAGE - 10, 100);
    CHECK(n < 100, "a write running past the break returned %d", n);
    /* given back: -1 again */
    last[0] = 1;
    sbrklazy((int)-PAGE);
    CHECK(read(fd, end, 10) == -1, "read into a page given back");
    CHECK(write(out, end, 10) == -1, "write from a page given back");
    CHECK(wait_status(spawn(load_at, (long)end)) == -1, "the page given back is still mapped");
    close(fd);
    close(out);
    unlink("/lzs.out");
}

/* exec'd by exec_from_absent: are the arguments as they were written? */
static int check_exec_args(int argc, char **argv)
{
    if (argc != 5)
        return 10 + argc;
    if (strcmp(argv[0], SELF) != 0)
        return 2;
    if (argv[2][0] != 0)
        return 3;
    if (strcmp(argv[3], "straddle") != 0)
        return 4;
    if (strcmp(argv[4], "end") != 0)
        return 5;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "execargs") == 0)
        exit(check_exec_args(argc, argv));
    char *heap_start = sbrk(0);
    test_begin("lazy_syscalls");
    CHECK(make_pattern_file("/lzs.dat", DATA_LEN, pattern) == 0, "make /lzs.dat");
    read_into_absent();
    write_from_absent();
    pipe_into_absent();
    stat_into_absent();
    exec_from_absent();
    copyout_to_file_pages();
    beyond_break();
    unlink("/lzs.dat");
    sbrk((int)(heap_start - sbrk(0)));
    return test_end();
}
