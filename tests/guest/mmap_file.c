/* File-backed mmap: always faulted in lazily (under either allocation
 * policy); MAP_PRIVATE is copy-on-write against the file's bytes and never
 * reaches the file; MAP_SHARED stores are written back on munmap and exit,
 * dirty pages only; munmap of the front, the back or a hole in the middle;
 * the tail of the last page past EOF reads 0 and a page wholly past EOF
 * kills; permission refusals; the file stays alive while mapped; and a
 * mapping across fork under each fork policy. */
#include "testlib.h"

#define PAGE 4096L
#define SLACK 8L

static char pat(long off) { return (char)('0' + (off * 13 + off / PAGE) % 71); }

static int load_at(long addr) { return *(volatile char *)addr == 0x7f ? 1 : 0; }

static int store_at(long addr)
{
    *(volatile char *)addr = 1;
    return 0;
}

/* The byte at off in the file at path (read with read()), or -1000. */
static int file_byte(const char *path, long off)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1000;
    char chunk[512];
    long pos = 0;
    int n, r = -1000;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
        if (off < pos + n) {
            r = chunk[off - pos];
            break;
        }
        pos += n;
    }
    close(fd);
    return r;
}

/* How many of the file's first len bytes differ from the pattern. */
static long file_differs(const char *path, long len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    char chunk[512];
    long pos = 0, bad = 0;
    int n;
    while (pos < len && (n = read(fd, chunk, sizeof chunk)) > 0) {
        for (int i = 0; i < n && pos + i < len; i++)
            bad += chunk[i] != pat(pos + i);
        pos += n;
    }
    close(fd);
    return pos < len ? -2 : bad;
}

static int page_aligned(void *p) { return ((long)p & (PAGE - 1)) == 0; }

/* MAP_PRIVATE, PROT_READ: lazily faulted, the file's bytes, 0 past EOF,
 * a store kills. */
static void private_read(void)
{
    long len = 3 * PAGE + 100;
    CHECK(make_pattern_file("/mf.a", len, pat) == 0, "make /mf.a");
    int fd = open("/mf.a", O_RDONLY);
    stack_private();
    struct memstat a = memstat_now();
    char *p = mmap(0, len, PROT_READ, MAP_PRIVATE, fd, 0);
    struct memstat b = memstat_now();
    CHECK(p != MAP_FAILED && page_aligned(p), "mmap PROT_READ MAP_PRIVATE returned %p", p);
    if (p == MAP_FAILED)
        return;
    CHECK(b.pages_resident <= a.pages_resident + 1, "mmap made %ld pages resident at once",
          (long)(b.pages_resident - a.pages_resident));
    CHECK(b.pages_reserved >= a.pages_reserved + 4, "mmap of 4 pages reserved %ld",
          (long)(b.pages_reserved - a.pages_reserved));
    long bad = 0;
    for (long i = 0; i < len; i++)
        bad += p[i] != pat(i);
    for (long i = len; i < 4 * PAGE; i++)
        bad += p[i] != 0;
    CHECK(bad == 0, "%ld bytes of the private mapping wrong", bad);
    struct memstat c = memstat_now();
    long rd = (long)(c.file_pages_read - b.file_pages_read);
    CHECK(rd >= 4 && rd <= 4 + SLACK, "reading 4 mapped pages read %ld pages from the file", rd);
    CHECK(c.lazy_faults >= b.lazy_faults + 4, "reading 4 mapped pages: %lu lazy faults", c.lazy_faults - b.lazy_faults);
    CHECK(wait_status(spawn(store_at, (long)p + 10)) == -1, "a store to a PROT_READ mapping did not kill");
    CHECK(munmap(p, len) == 0, "munmap");
    CHECK(wait_status(spawn(load_at, (long)p)) == -1, "a load after munmap did not kill");
    close(fd);
    struct memstat d = memstat_now();
    CHECK(d.pages_written_back == a.pages_written_back, "a private mapping was written back");
    CHECK(d.pages_reserved == a.pages_reserved, "munmap left %ld pages reserved",
          (long)(d.pages_reserved - a.pages_reserved));
}

/* MAP_PRIVATE, PROT_READ|PROT_WRITE (an O_RDONLY file is fine): stores
 * stay in the mapping; the file and another mapping of it keep the
 * file's bytes. */
static void private_write(void)
{
    int fd = open("/mf.a", O_RDONLY);
    struct memstat a = memstat_now();
    char *p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED, "mmap RW MAP_PRIVATE of an O_RDONLY file");
    if (p == MAP_FAILED)
        return;
    CHECK(p[1] == pat(1), "private mapping byte 1");
    p[0] = 'X';
    p[PAGE + 5] = 'Y'; /* a store as the page's first touch */
    CHECK(p[0] == 'X' && p[1] == pat(1) && p[PAGE + 5] == 'Y' && p[PAGE + 6] == pat(PAGE + 6),
          "private stores, or the bytes beside them");
    char *q = mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(q != MAP_FAILED && q != p, "a second private mapping");
    if (q != MAP_FAILED) {
        CHECK(q[0] == pat(0) && q[PAGE + 5] == pat(PAGE + 5), "a second mapping sees the first one's stores");
        CHECK(munmap(q, 2 * PAGE) == 0, "munmap q");
    }
    /* read() into a private page copies over it, write() from it gives its bytes */
    CHECK(read(fd, p + 100, 10) == 10 && p[100] == pat(0) && p[0] == 'X', "read() into a private mapping");
    CHECK(munmap(p, 2 * PAGE) == 0, "munmap p");
    close(fd);
    CHECK(file_differs("/mf.a", 3 * PAGE + 100) == 0, "private stores reached the file");
    struct memstat b = memstat_now();
    CHECK(b.pages_written_back == a.pages_written_back, "a private mapping was written back");
}

/* MAP_SHARED: only dirty pages are written back, at munmap and at exit */
static void shared_writeback(void)
{
    CHECK(make_pattern_file("/mf.b", 4 * PAGE, pat) == 0, "make /mf.b");
    int fd = open("/mf.b", O_RDWR);
    char *p = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED, "mmap RW MAP_SHARED");
    if (p == MAP_FAILED)
        return;
    CHECK(p[PAGE + 3] == pat(PAGE + 3), "shared mapping read"); /* page 1: read, never written */
    p[10] = 'a';
    p[2 * PAGE + 20] = 'b';
    struct memstat a = memstat_now();
    CHECK(munmap(p, 4 * PAGE) == 0, "munmap shared");
    struct memstat b = memstat_now();
    CHECK(b.pages_written_back - a.pages_written_back == 2, "munmap wrote back %lu pages; 2 were dirty",
          b.pages_written_back - a.pages_written_back);
    CHECK(file_byte("/mf.b", 10) == 'a' && file_byte("/mf.b", 2 * PAGE + 20) == 'b', "stores not in the file");
    CHECK(file_byte("/mf.b", 11) == pat(11) && file_byte("/mf.b", PAGE + 3) == pat(PAGE + 3) &&
              file_byte("/mf.b", 3 * PAGE) == pat(3 * PAGE),
          "bytes next to the stores changed");

    /* at exit, without munmap */
    int pid = fork();
    if (pid == 0) {
        char *c = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (c == MAP_FAILED)
            exit(2);
        c[3 * PAGE + 1] = 'c';
        exit(c[10] == 'a' ? 0 : 3);
    }
    CHECK(wait_status(pid) == 0, "the child mapping shared");
    struct memstat c = memstat_now();
    CHECK(c.pages_written_back - b.pages_written_back == 1, "exit wrote back %lu pages; 1 was dirty",
          c.pages_written_back - b.pages_written_back);
    CHECK(file_byte("/mf.b", 3 * PAGE + 1) == 'c', "the store of a child that exited is not in the file");

    /* the same file read-only shared: allowed, never written back */
    int rfd = open("/mf.b", O_RDONLY);
    char *r = mmap(0, PAGE, PROT_READ, MAP_SHARED, rfd, 0);
    CHECK(r != MAP_FAILED && r[10] == 'a', "PROT_READ MAP_SHARED of an O_RDONLY file");
    if (r != MAP_FAILED)
        munmap(r, PAGE);
    close(rfd);
    close(fd);
}

/* past the end of the file: the last page's tail is zero, beyond it kills */
static void past_eof(void)
{
    CHECK(make_pattern_file("/mf.c", 2 * PAGE + 100, pat) == 0, "make /mf.c");
    int fd = open("/mf.c", O_RDWR);
    for (int shared = 0; shared < 2; shared++) {
        char *p = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
        CHECK(p != MAP_FAILED, "mmap of 4 pages of a 2-page file (%s)", shared ? "shared" : "private");
        if (p == MAP_FAILED)
            continue;
        CHECK(p[2 * PAGE + 99] == pat(2 * PAGE + 99), "the last byte of the file");
        long nonzero = 0;
        for (long i = 2 * PAGE + 100; i < 3 * PAGE; i++)
            nonzero += p[i] != 0;
        CHECK(nonzero == 0, "%ld bytes past EOF in the last page are not zero", nonzero);
        CHECK(wait_status(spawn(load_at, (long)(p + 3 * PAGE))) == -1, "a load wholly past EOF did not kill");
        CHECK(wait_status(spawn(store_at, (long)(p + 3 * PAGE + 5))) == -1, "a store wholly past EOF did not kill");
        /* The last page dirty (with the byte it had): written back at
         * munmap, but only up to the end of the file, which keeps its size. */
        p[2 * PAGE + 50] = pat(2 * PAGE + 50);
        CHECK(munmap(p, 4 * PAGE) == 0, "munmap");
        struct stat st;
        CHECK(fstat(fd, &st) == 0 && st.size == 2 * PAGE + 100, "the file is %ld bytes after munmap, not %ld",
              (long)st.size, (long)(2 * PAGE + 100));
    }
    close(fd);
    CHECK(file_differs("/mf.c", 2 * PAGE + 100) == 0, "the file changed");
    unlink("/mf.c");
}

/* what must be refused, and nothing taken by a refusal */
static void refusals(void)
{
    stack_private();
    struct memstat a = memstat_now();
    int ro = open("/mf.b", O_RDONLY);
    int wo = open("/mf.b", O_WRONLY);
    CHECK(mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED, "RW shared of an O_RDONLY file");
    CHECK(mmap(0, PAGE, PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED, "write-only shared of an O_RDONLY file");
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, wo, 0) == MAP_FAILED, "private mapping of an O_WRONLY file");
    CHECK(mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, wo, 0) == MAP_FAILED, "shared mapping of an O_WRONLY file");
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 99, 0) == MAP_FAILED, "fd 99");
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED, "fd -1 without MAP_ANONYMOUS");
    int closed = dup(ro);
    close(closed);
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, closed, 0) == MAP_FAILED, "a closed fd");
    CHECK(mmap(0, 0, PROT_READ, MAP_PRIVATE, ro, 0) == MAP_FAILED, "length 0");
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, ro, 100) == MAP_FAILED, "an offset not page aligned");
    int fds[2];
    pipe(fds);
    CHECK(mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fds[0], 0) == MAP_FAILED, "a pipe");
    close(fds[0]);
    close(fds[1]);
    /* an offset: the mapping starts at the file's second page */
    char *p = mmap(0, PAGE, PROT_READ, MAP_PRIVATE, ro, PAGE);
    CHECK(p != MAP_FAILED && p[0] == pat(PAGE) && p[PAGE - 1] == pat(2 * PAGE - 1), "a mapping at offset 1 page");
    if (p != MAP_FAILED)
        munmap(p, PAGE);
    close(ro);
    close(wo);
    struct memstat b = memstat_now();
    CHECK(b.pages_reserved == a.pages_reserved, "refused mmap calls reserved %ld pages",
          (long)(b.pages_reserved - a.pages_reserved));
    CHECK(b.frames_free + SLACK >= a.frames_free, "refused mmap calls took %ld frames",
          (long)(a.frames_free - b.frames_free));
}

/* munmap of the front, the back and a hole in the middle: each part
 * written back as it goes, the rest still mapped */
static void partial_munmap(void)
{
    CHECK(make_pattern_file("/mf.d", 6 * PAGE, pat) == 0, "make /mf.d");
    int fd = open("/mf.d", O_RDWR);
    char *p = mmap(0, 6 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd); /* the mapping holds the file */
    CHECK(p != MAP_FAILED, "mmap 6 pages shared");
    if (p == MAP_FAILED)
        return;
    for (long i = 0; i < 6; i++)
        p[i * PAGE + 1] = (char)('A' + i);
    CHECK(munmap(p + 10, PAGE) == -1, "munmap of an address not page aligned");

    CHECK(munmap(p, PAGE) == 0, "munmap of the front page");
    CHECK(file_byte("/mf.d", 1) == 'A', "the front page was not written back at its munmap");
    CHECK(wait_status(spawn(load_at, (long)p)) == -1, "the front page is still mapped");
    CHECK(p[PAGE + 1] == 'B', "the page after the front lost its store");

    CHECK(munmap(p + 5 * PAGE, PAGE) == 0, "munmap of the back page");
    CHECK(file_byte("/mf.d", 5 * PAGE + 1) == 'F', "the back page was not written back");
    CHECK(wait_status(spawn(load_at, (long)(p + 5 * PAGE))) == -1, "the back page is still mapped");
    CHECK(p[4 * PAGE + 1] == 'E', "the page before the back lost its store");

    CHECK(munmap(p + 2 * PAGE, PAGE) == 0, "munmap of a hole in the middle");
    CHECK(file_byte("/mf.d", 2 * PAGE + 1) == 'C', "the hole was not written back");
    CHECK(wait_status(spawn(load_at, (long)(p + 2 * PAGE))) == -1, "the hole is still mapped");
    CHECK(p[PAGE + 1] == 'B' && p[3 * PAGE + 1] == 'D', "the pages beside the hole");
    p[3 * PAGE + 2] = 'x';

    CHECK(munmap(p + PAGE, 4 * PAGE) == 0, "munmap of the rest, across the hole");
    CHECK(file_byte("/mf.d", PAGE + 1) == 'B' && file_byte("/mf.d", 3 * PAGE + 1) == 'D' &&
              file_byte("/mf.d", 3 * PAGE + 2) == 'x' && file_byte("/mf.d", 4 * PAGE + 1) == 'E',
          "the rest was not written back");
    CHECK(file_byte("/mf.d", 3 * PAGE + 3) == pat(3 * PAGE + 3), "bytes never stored changed");
    CHECK(wait_status(spawn(load_at, (long)(p + 3 * PAGE))) == -1, "the rest is still mapped");
    unlink("/mf.d");
}

/* the file stays alive while mapped: closed and unlinked, still readable
 * (and writable, shared), and freed when the last mapping goes */
static void alive_while_mapped(void)
{
    stack_private();
    unsigned long f0 = free_frames();
    CHECK(make_pattern_file("/mf.gone", 2 * PAGE, pat) == 0, "make /mf.gone");
    int fd = open("/mf.gone", O_RDWR);
    char *p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *q = mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED && q != MAP_FAILED, "two mappings");
    close(fd);
    CHECK(unlink("/mf.gone") == 0, "unlink");
    CHECK(open("/mf.gone", O_RDONLY) == -1, "the name is gone");
    if (p == MAP_FAILED || q == MAP_FAILED)
        return;
    CHECK(p[5] == pat(5) && q[PAGE + 3] == pat(PAGE + 3), "a mapped, unlinked file reads its bytes");
    p[5] = 'w';
    CHECK(munmap(p, 2 * PAGE) == 0, "munmap of the shared mapping of an unlinked file");
    CHECK(q[PAGE + 4] == pat(PAGE + 4), "the private mapping, after the shared one went");
    CHECK(munmap(q, 2 * PAGE) == 0, "munmap of the last mapping");
    CHECK(free_frames() == f0, "the unlinked file's frames did not come back: %ld missing", (long)(f0 - free_frames()));
}

/* across fork: private stays private both ways; shared pages present at
 * fork are one copy for both */
static void across_fork(void)
{
    CHECK(make_pattern_file("/mf.e", 4 * PAGE, pat) == 0, "make /mf.e");
    int fd = open("/mf.e", O_RDWR);
    char *pv = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    volatile char *sh = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); /* the other side stores too */
    CHECK(pv != MAP_FAILED && sh != MAP_FAILED, "mappings");
    if (pv == MAP_FAILED || sh == MAP_FAILED)
        return;
    pv[0] = 'p'; /* present and dirty at fork */
    (void)*(volatile char *)(pv + PAGE);
    sh[0] = 's'; /* present at fork */
    (void)sh[PAGE + 1];
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    int pid = fork();
    if (pid == 0) {
        char c;
        int bad = 0;
        bad |= pv[0] != 'p' || pv[PAGE] != pat(PAGE) || pv[2 * PAGE] != pat(2 * PAGE);
        bad |= (sh[0] != 's') << 1;
        pv[1] = 'C';        /* private: the parent must not see it */
        sh[PAGE + 1] = 'S'; /* shared, present at fork: the parent must see it */
        write(to_parent[1], "1", 1);
        read(to_child[0], &c, 1); /* the parent stored to sh[2] and pv[2] */
        bad |= (sh[2] != 'P') << 2;
        bad |= (pv[2] != pat(2)) << 3;
        exit(bad);
    }
    char c;
    CHECK(read(to_parent[0], &c, 1) == 1, "the child's word");
    CHECK(pv[1] == pat(1), "the child's private store reached the parent");
    CHECK(sh[PAGE + 1] == 'S', "the child's store to a shared page present at fork did not reach the parent");
    sh[2] = 'P';
    pv[2] = 'Q';
    write(to_child[1], "2", 1);
    int st = wait_status(pid);
    CHECK(st == 0,
          "the child saw wrong bytes (%d: 1 private at fork, 2 shared at fork, 4 parent's shared store, 8 "
          "parent's private store)",
          st);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
    CHECK(munmap((char *)sh, 4 * PAGE) == 0 && munmap(pv, 4 * PAGE) == 0, "munmap");
    close(fd);
    CHECK(file_byte("/mf.e", PAGE + 1) == 'S' && file_byte("/mf.e", 2) == 'P' && file_byte("/mf.e", 0) == 's',
          "shared stores of child and parent not in the file");
    CHECK(file_byte("/mf.e", 1) == pat(1), "a private store reached the file");
    unlink("/mf.e");
}

/* system calls with buffers in mapped pages not yet faulted in */
static void syscalls_on_mappings(void)
{
    CHECK(make_pattern_file("/mf.f", 2 * PAGE, pat) == 0, "make /mf.f");
    int fd = open("/mf.f", O_RDONLY);
    char *p = mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED, "mmap");
    if (p == MAP_FAILED)
        return;
    int out = open("/mf.g", O_CREATE | O_RDWR | O_TRUNC);
    CHECK(write(out, p + PAGE - 50, 100) == 100, "write() from mapped pages not yet faulted in");
    close(out);
    CHECK(file_byte("/mf.g", 0) == pat(PAGE - 50) && file_byte("/mf.g", 99) == pat(PAGE + 49),
          "write() from a mapping wrote wrong bytes");
    CHECK(read(fd, p, 10) == -1, "read() into a PROT_READ mapping");
    munmap(p, 2 * PAGE);
    close(fd);
    unlink("/mf.f");
    unlink("/mf.g");
}

/* exec replaces the address space: a shared mapping's dirty page is
 * written back then, as at exit, and every frame comes back */
static void writeback_at_exec(void)
{
    CHECK(make_pattern_file("/mf.h", 2 * PAGE, pat) == 0, "make /mf.h");
    unsigned long before = free_frames();
    int pid = fork();
    if (pid == 0) {
        int fd = open("/mf.h", O_RDWR);
        char *p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        char *q = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
        if (p == MAP_FAILED || q == MAP_FAILED)
            exit(2);
        p[PAGE + 9] = 'e';
        memset(q, 1, 4 * PAGE);
        char *argv[] = {"/tests/mmap_file", "exit", 0};
        exec(argv[0], argv);
        exit(3);
    }
    CHECK(wait_status(pid) == 0, "the child that exec'd with mappings");
    CHECK(file_byte("/mf.h", PAGE + 9) == 'e', "a shared store was not written back at exec");
    CHECK(free_frames() == before, "exec with mappings: %ld frames missing", (long)(before - free_frames()));
    unlink("/mf.h");
}

/* read() and write() with the buffer in an absent page of a mapping of
 * the very file they read or write, when memory runs out for the first
 * page the kernel brings in ahead of the copy (mmfail): the call may
 * fail or succeed, but must return (it used to wait for ever on the
 * file's lock, which it held itself), and the caller carries on. Last in
 * the test: a kernel with the bug hangs here, and the timeout catches it. */
static int rw_own_mapping(long write_it)
{
    int fd = open("/mf.own", O_RDWR);
    char *p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, write_it ? MAP_SHARED : MAP_PRIVATE, fd, 0);
    if (fd < 0 || p == MAP_FAILED)
        return 5;
    mmfail(0, 0);
    int n = write_it ? write(fd, p + PAGE, 100) : read(fd, p, 100);
    mmfail(-1, 0);
    return n == 100 ? 0 : n == -1 ? 1 : 2;
}

static void own_mapping_oom(void)
{
    printf("mmap_file: read and write through a mapping of the same file, no memory (a hang here is the bug)\n");
    CHECK(make_pattern_file("/mf.own", 2 * PAGE, pat) == 0, "make /mf.own");
    int st = wait_status(spawn(rw_own_mapping, 0));
    CHECK(st >= 0 && st <= 2, "read() into its own file's mapping with no memory: status %d", st);
    st = wait_status(spawn(rw_own_mapping, 1));
    CHECK(st >= 0 && st <= 2, "write() from its own file's mapping with no memory: status %d", st);
    unlink("/mf.own");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "exit") == 0)
        exit(0);
    char *heap_start = sbrk(0);
    test_begin("mmap_file");
    writeback_at_exec();
    private_read();
    private_write();
    shared_writeback();
    past_eof();
    refusals();
    partial_munmap();
    alive_while_mapped();
    across_fork();
    syscalls_on_mappings();
    own_mapping_oom();
    unlink("/mf.a");
    unlink("/mf.b");
    struct memstat ms = memstat_now();
    printf("file pages read %lu, written back %lu, lazy faults %lu\n", ms.file_pages_read, ms.pages_written_back,
           ms.lazy_faults);
    sbrk((int)(heap_start - sbrk(0)));
    return test_end();
}
