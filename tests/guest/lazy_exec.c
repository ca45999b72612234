/* exec under each allocation policy. This program carries 64 pages of
 * read-only data, 64 of initialized data and 256 of bss, and execs itself
 * in probe modes (argv[1]). Under lazy, exec reads from the file only the
 * pages the program touches (memstat's file_pages_read grows by far less
 * than the file's pages, and few frames are taken), text and data come
 * from the file on first access, bss is zero; under eager everything is
 * loaded at exec (the frames are taken before the program runs, no lazy
 * fault). Under both, stores to data stay private (the next exec sees the
 * file's bytes), and a store to text or read-only data kills, even when
 * the page was not present yet. */
#include "testlib.h"

#define PAGE 4096L
#define BIG 64L
#define SELF "/tests/lazy_exec"

static const char big_ro[BIG * PAGE] = {[0] = 1, [5 * PAGE] = 5, [BIG * PAGE - 1] = 9};
static char big_data[BIG * PAGE] = {[0] = 2, [7 * PAGE] = 7, [BIG * PAGE - 1] = 11};
static char big_bss[4 * BIG * PAGE];
/* Read through pointers the compiler cannot see through, so that every
 * array stays in the image whole. */
static const char *volatile ro = big_ro;
static char *volatile data = big_data;
static char *volatile bss = big_bss;

static char ro_want(long i) { return i == 0 ? 1 : i == 5 * PAGE ? 5 : i == BIG * PAGE - 1 ? 9 : 0; }
static char data_want(long i) { return i == 0 ? 2 : i == 7 * PAGE ? 7 : i == BIG * PAGE - 1 ? 11 : 0; }

/* ---- the probe modes (run by exec; exit status 0 = as expected) ---- */

/* A few pages: one of each array; then, if given descriptors, says so
 * and waits for the word to exit. */
static int probe_few(int argc, char **argv)
{
    int bad = ro[5 * PAGE] != 5 || data[7 * PAGE] != 7 || data[0] != 2 || bss[3 * PAGE] != 0;
    bss[3 * PAGE] = 1;
    data[7 * PAGE] = 8;
    bad |= bss[3 * PAGE] != 1 || data[7 * PAGE] != 8;
    if (argc >= 4) {
        char c = 'r';
        write(atoi(argv[2]), &c, 1);
        read(atoi(argv[3]), &c, 1);
    }
    return bad;
}

/* Every page of every array. */
static int probe_all(void)
{
    int bad = 0;
    for (long i = 0; i < BIG * PAGE; i++) {
        bad += ro[i] != ro_want(i);
        bad += data[i] != data_want(i);
    }
    for (long i = 0; i < 4 * BIG * PAGE; i += 64)
        bad += bss[i] != 0;
    for (long i = 0; i < BIG * PAGE; i += PAGE)
        data[i + 1] = 3;
    for (long i = 0; i < 4 * BIG * PAGE; i += PAGE)
        bss[i] = 4;
    for (long i = 0; i < BIG * PAGE; i += PAGE)
        bad += data[i + 1] != 3 || bss[i] != 4;
    return bad != 0;
}

static int probe_dirty(void)
{
    data[0] = 77;
    data[7 * PAGE] = 78;
    return data[0] == 77 ? 0 : 1;
}

int main(int argc, char **argv);

/* Like "few", but what it checks after the word are pages it has not
 * touched before: they must hold what the file held at exec, though the
 * parent has meanwhile overwritten the file's bytes there (or tried to)
 * and unlinked it. */
static int probe_late(int argc, char **argv)
{
    if (argc < 4)
        return 60;
    char c = 'r';
    write(atoi(argv[2]), &c, 1);
    read(atoi(argv[3]), &c, 1);
    int bad = 0;
    bad |= ro[9 * PAGE] != 0 || ro[9 * PAGE + 15] != 0;
    bad |= (data[20 * PAGE] != 0 || data[20 * PAGE + 15] != 0) << 1;
    bad |= (ro[BIG * PAGE - 1] != 9 || data[BIG * PAGE - 1] != 11) << 2;
    return bad;
}

static int probe(int argc, char **argv)
{
    if (strcmp(argv[1], "late") == 0)
        return probe_late(argc, argv);
    if (strcmp(argv[1], "few") == 0)
        return probe_few(argc, argv);
    if (strcmp(argv[1], "all") == 0)
        return probe_all();
    if (strcmp(argv[1], "dirty") == 0)
        return probe_dirty();
    if (strcmp(argv[1], "textwrite") == 0) {
        *(volatile char *)(void *)main = 0;
        return 0;
    }
    if (strcmp(argv[1], "rowrite") == 0) {
        *(volatile char *)(ro + 9 * PAGE) = 1; /* a read-only page never touched */
        return 0;
    }
    return 50;
}

/* ---- the test ---- */

/* Forks, execs this program with mode and returns its wait status. */
static int run(char *mode)
{
    char *argv[] = {SELF, mode, 0};
    int pid = fork();
    if (pid == 0) {
        exec(SELF, argv);
        exit(99);
    }
    return wait_status(pid);
}

/* The "few" probe, counted while it runs (it waits on a pipe). */
static void few_pages(long file_pages, int lazy)
{
    int ready[2], go[2];
    CHECK(pipe(ready) == 0 && pipe(go) == 0, "pipes");
    char rs[12], gs[12];
    snprintf(rs, sizeof rs, "%d", ready[1]);
    snprintf(gs, sizeof gs, "%d", go[0]);
    char *argv[] = {SELF, "few", rs, gs, 0};
    stack_private();
    struct memstat a = memstat_now();
    int pid = fork();
    if (pid == 0) {
        exec(SELF, argv);
        exit(99);
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the probe said it was ready");
    struct memstat b = memstat_now();
    write(go[1], "g", 1);
    CHECK(wait_status(pid) == 0, "the few-pages probe saw wrong bytes");
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    long read_pages = (long)(b.file_pages_read - a.file_pages_read);
    long took = (long)(a.frames_free - b.frames_free);
    printf("exec of a %ld-page file touching a few pages (%s): %ld pages read from the file, %ld frames taken\n",
           file_pages, lazy ? "lazy" : "eager", read_pages, took);
    if (lazy) {
        CHECK(read_pages >= 1 && read_pages < file_pages / 4 && read_pages <= 32,
              "a lazy exec touching a few pages read %ld pages of %ld", read_pages, file_pages);
        CHECK(took < 80, "a lazy exec touching a few pages took %ld frames", took);
    } else {
        CHECK(took >= 6 * BIG, "an eager exec took only %ld frames for %ld pages of data and bss", took, 6 * BIG);
        CHECK(b.lazy_faults == a.lazy_faults, "an eager exec took %lu lazy faults", b.lazy_faults - a.lazy_faults);
    }
}

/* The offset in the ELF image img (len bytes) of the byte a PT_LOAD
 * segment places at va, or -1 (System V gABI: e_phoff at 32, e_phnum at
 * 56, 56-byte program headers: p_type, p_flags, p_offset, p_vaddr,
 * p_paddr, p_filesz). */
static long file_offset_of(const char *img, long len, unsigned long va)
{
    unsigned long phoff;
    unsigned short phnum;
    memcpy(&phoff, img + 32, 8);
    memcpy(&phnum, img + 56, 2);
    for (int i = 0; i < phnum && (long)(phoff + (unsigned long)(i + 1) * 56) <= len; i++) {
        const char *ph = img + phoff + (unsigned long)i * 56;
        unsigned int type;
        unsigned long off, vaddr, filesz;
        memcpy(&type, ph, 4);
        memcpy(&off, ph + 8, 8);
        memcpy(&vaddr, ph + 16, 8);
        memcpy(&filesz, ph + 32, 8);
        if (type == 1 && va >= vaddr && va < vaddr + filesz)
            return (long)(off + (va - vaddr));
    }
    return -1;
}

/* A program's image is the file as it was at exec: a copy of this
 * program runs ("late") while the parent overwrites bytes of pages it has
 * not touched yet, then unlinks it. The overwrite may be refused (a busy
 * executable); if it is not, the program must still see the old bytes. */
static void file_changed_under_exec(void)
{
    struct stat st;
    CHECK(stat(SELF, &st) == 0, "stat");
    long len = (long)st.size;
    char *img = sbrk((int)len);
    int fd = open(SELF, O_RDONLY);
    long got = 0;
    int n;
    while (got < len && (n = read(fd, img + got, (int)(len - got))) > 0)
        got += n;
    close(fd);
    long ro_at = file_offset_of(img, got, (unsigned long)(big_ro + 9 * PAGE));
    long data_at = file_offset_of(img, got, (unsigned long)(big_data + 20 * PAGE));
    CHECK(got == len && ro_at > 0 && data_at > 0, "our own image: %ld of %ld bytes, offsets %ld %ld", got, len, ro_at,
          data_at);
    fd = open("/lzexec_copy", O_CREATE | O_RDWR | O_TRUNC);
    CHECK(fd >= 0 && write(fd, img, (int)got) == got, "writing the copy");
    close(fd);
    sbrk(-(int)len);
    if (ro_at <= 0 || data_at <= 0)
        return;
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    char rs[12], gs[12];
    snprintf(rs, sizeof rs, "%d", ready[1]);
    snprintf(gs, sizeof gs, "%d", go[0]);
    char *argv[] = {"/lzexec_copy", "late", rs, gs, 0};
    int pid = fork();
    if (pid == 0) {
        exec(argv[0], argv);
        exit(99);
    }
    close(ready[1]);
    close(go[0]);
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the copy said it was ready");
    char junk[16];
    memset(junk, 0x55, sizeof junk);
    fd = open("/lzexec_copy", O_RDWR);
    int w1 = -2, w2 = -2;
    if (fd >= 0) {
        /* there is no lseek: read up to the offset, then write */
        char skip[512];
        long pos = 0;
        while (pos < ro_at) {
            int k = read(fd, skip, (int)(ro_at - pos < 512 ? ro_at - pos : 512));
            if (k <= 0)
                break;
            pos += k;
        }
        w1 = write(fd, junk, sizeof junk);
        pos += w1 > 0 ? w1 : 0;
        while (pos < data_at) {
            int k = read(fd, skip, (int)(data_at - pos < 512 ? data_at - pos : 512));
            if (k <= 0)
                break;
            pos += k;
        }
        w2 = write(fd, junk, sizeof junk);
        close(fd);
    }
    printf("overwriting the running program's file: writes returned %d and %d\n", w1, w2);
    CHECK(link("/lzexec_copy", "/lzexec_copy2") == 0, "link");
    CHECK(unlink("/lzexec_copy") == 0, "unlink of the running program's file");
    write(go[1], "g", 1);
    int status = wait_status(pid);
    /* once it has exited, its file is an ordinary file again: writable,
     * and runnable after the writer closed it */
    fd = open("/lzexec_copy2", O_RDWR);
    CHECK(fd >= 0, "the file of a program that exited cannot be opened for writing");
    close(fd);
    char *again[] = {"/lzexec_copy2", "few", 0};
    pid = fork();
    if (pid == 0) {
        exec(again[0], again);
        exit(99);
    }
    CHECK(wait_status(pid) == 0, "exec of a file after its writer closed it");
    unlink("/lzexec_copy2");
    CHECK(status == 0,
          "the running program saw its file's later bytes or lost its file (status %d: 1 rodata, 2 data, "
          "4 last pages)",
          status);
    close(ready[0]);
    close(go[1]);
}

int main(int argc, char **argv)
{
    if (argc >= 2)
        exit(probe(argc, argv));
    test_begin("lazy_exec");
    int lazy = alloc_lazy();
    struct stat st;
    CHECK(stat(SELF, &st) == 0, "stat " SELF);
    long file_pages = (long)(st.size / PAGE);
    CHECK(file_pages >= 2 * BIG, "our file has only %ld pages", file_pages);

    few_pages(file_pages, lazy);

    struct memstat a = memstat_now();
    CHECK(run("all") == 0, "the probe reading every page saw wrong bytes");
    struct memstat b = memstat_now();
    if (lazy) {
        CHECK(b.file_pages_read - a.file_pages_read >= 2 * BIG, "reading every page read %lu pages from the file",
              b.file_pages_read - a.file_pages_read);
        CHECK(b.lazy_faults - a.lazy_faults >= 6 * BIG, "touching every page took %lu lazy faults",
              b.lazy_faults - a.lazy_faults);
    }

    /* private stores never reach the file */
    CHECK(run("dirty") == 0, "the dirtying probe");
    CHECK(run("few") == 0, "after a probe stored to its data, the next exec saw its stores");

    /* stores to text and read-only data kill, present or not */
    CHECK(run("textwrite") == -1, "a store to text did not kill");
    CHECK(run("rowrite") == -1, "a store to read-only data did not kill");
    CHECK(run("bogus") == 50, "an unknown mode");

    file_changed_under_exec();

    char *none[] = {"/tests/no_such_program", 0};
    CHECK(exec(none[0], none) == -1, "exec of a missing program");
    CHECK(ro[0] == 1 && data[0] == 2, "our own image changed");
    return test_end();
}
