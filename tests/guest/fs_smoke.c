/* The RAM file system through its system calls: files, directories, "."
 * and "..", hard links, device nodes, unlink while open, a file of many
 * megabytes, running out of memory, concurrent writers, and bad
 * arguments. Everything it creates it removes, so test_end can check that
 * every frame came back. "fs_smoke GROUP /disk" runs a group under the
 * disk file system's root instead (dfs.smoke.*: files, dirs, names, links,
 * unlink_open); the rest assume the RAM file system. */
#include "testlib.h"
#include "rvos/disk.h"
#include "rvos/fs.h"

#define KADDR ((void *)0xffffffc080200000UL)
#define UNMAPPED ((void *)0x3000000000L)
#define NOFILE_GUESS 40 /* more than any per-process fd table here */

static struct stat st;

/* Where the tests work: "" (the RAM file system's root) or, given as the
 * second argument, the root of another file system ("/disk"). P(path)
 * puts it in front of an absolute path; eight results live at once. */
static const char *root = "";

static const char *P(const char *path)
{
    static char ring[8][128];
    static int next;
    char *s = ring[next++ % 8];
    snprintf(s, sizeof ring[0], "%s%s", root, path);
    return s;
}

static int stat_ok(const char *path, int type) { return stat(path, &st) == 0 && st.type == type; }

static unsigned int ino_of(const char *path) { return stat(path, &st) == 0 ? st.ino : 0; }

static int write_file(const char *path, const void *data, int n)
{
    int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0)
        return -1;
    int w = write(fd, data, n);
    close(fd);
    return w;
}

static int read_file(const char *path, void *buf, int n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int r = read(fd, buf, n);
    close(fd);
    return r;
}

/* The inode number name has in directory path, by reading its entries
 * the way ls does; 0 if absent. */
static unsigned int dir_find(const char *path, const char *name)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    struct dirent de;
    unsigned int found = 0;
    while (read(fd, &de, sizeof de) == sizeof de)
        if (de.inum && strncmp(de.name, name, DIRSIZ) == 0)
            found = de.inum;
    close(fd);
    return found;
}

static void test_files(void)
{
    char buf[64];
    CHECK(open(P("/fs_a"), O_RDONLY) == -1, "open of a missing file");
    CHECK(open("", O_RDONLY) == -1, "open of an empty path");
    CHECK(open(P("/fs_a"), O_CREATE | 3) == -1, "open with access mode 3");
    int fd = open(P("/fs_a"), O_CREATE | O_RDWR);
    CHECK(fd >= 0, "create");
    CHECK(write(fd, "hello", 5) == 5, "write");
    CHECK(read(fd, buf, sizeof buf) == 0, "read at the end");
    CHECK(fstat(fd, &st) == 0 && st.type == T_FILE && st.size == 5 && st.nlink == 1, "fstat: type %d size %lu", st.type,
          st.size);
    close(fd);
    CHECK(read_file(P("/fs_a"), buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0, "read back");

    fd = open(P("/fs_a"), O_CREATE | O_WRONLY); /* exists: opened, not emptied */
    CHECK(fd >= 0 && write(fd, "J", 1) == 1, "O_CREATE of an existing file");
    CHECK(read(fd, buf, 1) == -1, "read from a write-only fd");
    close(fd);
    CHECK(read_file(P("/fs_a"), buf, sizeof buf) == 5 && memcmp(buf, "Jello", 5) == 0, "overwrote one byte");
    fd = open(P("/fs_a"), O_RDONLY);
    CHECK(write(fd, "x", 1) == -1, "write to a read-only fd");
    close(fd);

    fd = open(P("/fs_a"), O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.size == 0, "O_TRUNC empties");
    /* Writing on at the end, across frames. */
    static char big[10000];
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = (char)(i * 7 + 3);
    CHECK(write(fd, big, 5000) == 5000 && write(fd, big + 5000, 5000) == 5000, "writes that grow the file");
    close(fd);
    static char back[10001];
    CHECK(read_file(P("/fs_a"), back, sizeof back) == 10000 && memcmp(back, big, 10000) == 0, "10000 bytes back");
    CHECK(unlink(P("/fs_a")) == 0 && open(P("/fs_a"), O_RDONLY) == -1, "unlink");
    CHECK(unlink(P("/fs_a")) == -1, "unlink twice");
}

static void test_dirs(void)
{
    short root_links = (short)(stat(P("/"), &st) == 0 ? st.nlink : -1);
    /* The disk's root is inode 1 too; its ".." is the RAM root, another file system. */
    CHECK(ino_of(P("/")) == ROOTINO && ino_of(P("/.")) == ROOTINO && (*root || ino_of("/..") == ROOTINO),
          "root, . and ..");
    CHECK(mkdir(P("/fs_d")) == 0, "mkdir");
    CHECK(mkdir(P("/fs_d")) == -1, "mkdir of an existing name");
    CHECK(mkdir(P("/fs_d/")) == -1, "mkdir of an existing name with a slash");
    CHECK(mkdir(P("/nowhere/x")) == -1, "mkdir in a missing directory");
    CHECK(stat_ok(P("/fs_d"), T_DIR) && st.nlink == 2, "new directory: nlink %d", st.nlink);
    CHECK(stat(P("/"), &st) == 0 && st.nlink == root_links + 1, "parent gains a link for ..");
    CHECK(mkdir(P("/fs_d/sub")) == 0, "mkdir inside");
    CHECK(stat_ok(P("/fs_d"), T_DIR) && st.nlink == 3, "nlink with a subdirectory: %d", st.nlink);
    unsigned int d = ino_of(P("/fs_d"));
    CHECK(ino_of(P("/fs_d/.")) == d && ino_of(P("/fs_d/sub/..")) == d && ino_of(P("/fs_d/sub/../..")) == ROOTINO,
          ". and .. resolve");
    CHECK(ino_of(P("//fs_d///sub/")) == ino_of(P("/fs_d/sub")), "repeated slashes");
    CHECK(dir_find(P("/fs_d"), ".") == d && dir_find(P("/fs_d"), "..") == ROOTINO &&
              dir_find(P("/fs_d"), "sub") == ino_of(P("/fs_d/sub")),
          "read() of a directory gives its entries");
    CHECK(*root || (dir_find("/", "tests") != 0 && dir_find("/", "dev") != 0), "the root lists tests and dev");

    int fd = open(P("/fs_d"), O_RDONLY);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.type == T_DIR && st.size % sizeof(struct dirent) == 0,
          "open a directory");
    CHECK(write(fd, "x", 1) == -1, "write to a directory");
    close(fd);
    CHECK(open(P("/fs_d"), O_RDWR) == -1 && open(P("/fs_d"), O_WRONLY) == -1, "a directory opens read-only");
    CHECK(open(P("/fs_d"), O_CREATE | O_RDONLY) == -1, "O_CREATE of a directory");

    /* Relative paths follow chdir. */
    CHECK(chdir(P("/fs_d")) == 0, "chdir");
    fd = open("sub/../f", O_CREATE | O_RDWR);
    CHECK(fd >= 0 && write(fd, "rel", 3) == 3, "create through a relative path");
    close(fd);
    CHECK(stat_ok(P("/fs_d/f"), T_FILE) && st.size == 3, "it landed in /fs_d");
    CHECK(chdir("sub") == 0 && stat_ok("../f", T_FILE) && chdir("..") == 0, "chdir relative");
    CHECK(chdir("f") == -1, "chdir to a file");
    CHECK(chdir("missing") == -1, "chdir to nothing");
    CHECK(chdir(P("/")) == 0 && stat_ok("fs_d/f", T_FILE), "back at the root");
    CHECK(open(P("/fs_d/f/x"), O_CREATE | O_RDWR) == -1, "a file is not a directory");
    CHECK(open(P("/fs_d/f/"), O_RDONLY) == -1 && open(P("/fs_d/h/"), O_CREATE | O_RDWR) == -1,
          "name/ must be a directory");
    CHECK(stat_ok(P("/fs_d/"), T_DIR), "a directory with a slash");

    /* What unlink refuses. */
    CHECK(unlink(P("/fs_d")) == -1, "unlink of a non-empty directory");
    CHECK(unlink(P("/fs_d/sub/.")) == -1 && unlink(P("/fs_d/sub/..")) == -1 && unlink(P("/fs_d/.")) == -1,
          "unlink . or ..");
    CHECK(unlink(P("/")) == -1, "unlink of the root");
    CHECK(unlink(P("/fs_d/sub")) == 0, "unlink of an empty directory");
    CHECK(stat_ok(P("/fs_d"), T_DIR) && st.nlink == 2, "parent loses the .. link: %d", st.nlink);

    /* Removing the directory a process is in. */
    CHECK(mkdir(P("/fs_d/gone")) == 0, "mkdir");
    int pid = fork();
    if (pid == 0) {
        int ok = chdir(P("/fs_d/gone")) == 0;
        int w = fork();
        if (w == 0)
            exit(unlink(P("/fs_d/gone"))); /* from another process */
        ok = ok && wait_status(w) == 0;
        ok = ok && open("new", O_CREATE | O_RDWR) == -1 && mkdir("d") == -1 && stat(".", &st) == -1;
        exit(ok ? 0 : 1);
    }
    CHECK(wait_status(pid) == 0, "a removed current directory takes no new entries");
    CHECK(stat(P("/fs_d/gone"), &st) == -1, "and it is gone");
}

static void test_names(void)
{
    /* DIRSIZ bytes fit whole. A longer name is cut to its first DIRSIZ
     * bytes, as in the classic kernel, wherever a path is accepted. */
    unsigned int d = ino_of(P("/fs_d"));
    CHECK(write_file(P("/fs_d/abcdefghijklmn"), "14", 2) == 2, "a 14-byte name");
    unsigned int f = ino_of(P("/fs_d/abcdefghijklmn"));
    CHECK(f != 0 && dir_find(P("/fs_d"), "abcdefghijklmn") == f, "listed with all 14 bytes");
    CHECK(ino_of(P("/fs_d/abcdefghijklmno")) == f && ino_of(P("/fs_d/abcdefghijklmnXYZ")) == f,
          "a longer name looks up its first 14 bytes");
    CHECK(write_file(P("/fs_d/abcdefghijklmnopq"), "17", 2) == 2 && ino_of(P("/fs_d/abcdefghijklmn")) == f &&
              stat(P("/fs_d/abcdefghijklmn"), &st) == 0 && st.size == 2,
          "O_CREATE of a longer name opens the same file");
    CHECK(mkdir(P("/fs_d/abcdefghijklmnop")) == -1, "mkdir of a long name that is an existing name once cut");
    CHECK(link(P("/fs_d/abcdefghijklmn"), P("/fs_d/abcdefghijklmnopq")) == -1,
          "link to a long name that exists once cut");
    CHECK(mkdir(P("/fs_d/0123456789abcdefgh")) == 0, "mkdir of an 18-byte name");
    unsigned int sub = ino_of(P("/fs_d/0123456789abcd"));
    CHECK(sub != 0 && dir_find(P("/fs_d"), "0123456789abcd") == sub, "made under its first 14 bytes");
    CHECK(ino_of(P("/fs_d/0123456789abcdXYZ/..")) == d, "a long name in the middle of a path");
    CHECK(link(P("/fs_d/abcdefghijklmn"), P("/fs_d/0123456789abcdefgh/zyxwvutsrqponmlk")) == 0 &&
              dir_find(P("/fs_d/0123456789abcd"), "zyxwvutsrqponm") == f,
          "link to a long name makes it cut");
    CHECK(unlink(P("/fs_d/0123456789abcdefgh/zyxwvutsrqponmlkj")) == 0 && unlink(P("/fs_d/0123456789abcdXX")) == 0,
          "unlink through longer names");
    CHECK(unlink(P("/fs_d/abcdefghijklmnop")) == 0 && ino_of(P("/fs_d/abcdefghijklmn")) == 0, "unlink");
    char path[200];
    memset(path, 'a', sizeof path);
    path[0] = '/';
    CHECK(open(path, O_RDONLY) == -1, "a path with no NUL in MAXPATH bytes");
}

static void test_links(void)
{
    char buf[16];
    CHECK(write_file(P("/fs_d/f"), "shared", 6) == 6, "write f");
    CHECK(link(P("/fs_d/f"), P("/fs_d/g")) == 0, "link");
    CHECK(stat(P("/fs_d/f"), &st) == 0 && st.nlink == 2 && st.ino == ino_of(P("/fs_d/g")), "two names, one inode");
    CHECK(link(P("/fs_d/f"), P("/fs_d/g")) == -1, "link to an existing name");
    CHECK(link(P("/fs_d/none"), P("/fs_d/h")) == -1, "link of a missing file");
    CHECK(link(P("/fs_d"), P("/fs_e")) == -1, "link to a directory");
    CHECK(link(P("/fs_d/f"), P("/nowhere/h")) == -1, "link into a missing directory");
    CHECK(stat(P("/fs_d/f"), &st) == 0 && st.nlink == 2, "failed links change no count: %d", st.nlink);
    CHECK(write_file(P("/fs_d/g"), "through g", 9) == 9, "write through g");
    CHECK(read_file(P("/fs_d/f"), buf, sizeof buf) == 9 && memcmp(buf, "through g", 9) == 0, "read through f");
    CHECK(unlink(P("/fs_d/f")) == 0 && stat(P("/fs_d/g"), &st) == 0 && st.nlink == 1, "unlink one name");
    CHECK(read_file(P("/fs_d/g"), buf, sizeof buf) == 9, "the other still reads");
}

/* What an open file's contents take: frames on the RAM file system,
 * blocks on the disk. */
static unsigned long free_space(void)
{
    struct diskstat ds;
    if (!*root)
        return free_frames();
    return disk(DISK_STAT, 0, &ds) == 0 ? ds.fs_free : 0;
}

static void test_unlink_open(void)
{
    unsigned long before = free_space();
    static char page[4096 * 3];
    memset(page, 'u', sizeof page);
    int w = open(P("/fs_d/tmp"), O_CREATE | O_RDWR);
    int r = open(P("/fs_d/tmp"), O_RDONLY);
    CHECK(w >= 0 && r >= 0 && write(w, page, sizeof page) == sizeof page, "write");
    CHECK(unlink(P("/fs_d/tmp")) == 0 && open(P("/fs_d/tmp"), O_RDONLY) == -1, "unlinked while open");
    CHECK(fstat(r, &st) == 0 && st.nlink == 0 && st.size == sizeof page, "fstat: nlink %d", st.nlink);
    static char back[sizeof page];
    CHECK(read(r, back, sizeof back) == sizeof back && memcmp(back, page, sizeof page) == 0, "still readable");
    CHECK(write(w, "more", 4) == 4, "still writable");
    int d = dup(r);
    close(r);
    close(w);
    CHECK(free_space() < before, "a dup keeps it alive");
    close(d);
    CHECK(free_space() == before, "last close frees it: %lu free, were %lu", free_space(), before);
}

static void test_devices(void)
{
    int fd = open("/dev/console", O_WRONLY);
    const char msg[] = "fs_smoke: written through /dev/console\n";
    CHECK(fd >= 0 && write(fd, msg, sizeof msg - 1) == sizeof msg - 1, "write to /dev/console");
    CHECK(fstat(fd, &st) == 0 && st.type == T_DEVICE, "console is a device: type %d", st.type);
    close(fd);
    CHECK(mknod("/fs_d/nod", 7, 3) == 0 && stat_ok("/fs_d/nod", T_DEVICE), "mknod");
    CHECK(mknod("/fs_d/nod", 7, 3) == -1, "mknod of an existing name");
    char c;
    fd = open("/fs_d/nod", O_RDWR);
    CHECK(fd >= 0 && read(fd, &c, 1) == -1 && write(fd, "x", 1) == -1, "no driver: read and write fail");
    close(fd);
    CHECK(mknod("/fs_d/con", CONSOLE, 0) == 0, "mknod of a console");
    fd = open("/fs_d/con", O_WRONLY);
    const char msg2[] = "fs_smoke: and through a second console node\n";
    CHECK(fd >= 0 && write(fd, msg2, sizeof msg2 - 1) == sizeof msg2 - 1, "console by another name");
    close(fd);
    CHECK(unlink("/fs_d/nod") == 0 && unlink("/fs_d/con") == 0, "unlink device nodes");
}

/* A file far past the direct blocks and the first indirect table. */
#define BIG_MB 24
static void test_big_file(void)
{
    unsigned long before = free_frames();
    const int chunk = 64 * 1024;
    char *buf = malloc(chunk);
    CHECK(buf != 0, "malloc");
    if (!buf)
        return;
    int fd = open("/fs_d/big", O_CREATE | O_RDWR);
    int ok = fd >= 0;
    for (int i = 0; ok && i < BIG_MB * 1024 * 1024 / chunk; i++) {
        for (int k = 0; k < chunk; k += 4096)
            *(int *)(buf + k) = i * 1000 + k / 4096; /* each page says where it belongs */
        ok = write(fd, buf, chunk) == chunk;
    }
    close(fd);
    CHECK(ok, "write %d MiB", BIG_MB);
    CHECK(stat("/fs_d/big", &st) == 0 && st.size == BIG_MB * 1024UL * 1024, "size %lu", st.size);
    CHECK(before - free_frames() >= BIG_MB * 256UL, "frames used: %lu", before - free_frames());
    fd = open("/fs_d/big", O_RDONLY);
    for (int i = 0; ok && i < BIG_MB * 1024 * 1024 / chunk; i++) {
        ok = read(fd, buf, chunk) == chunk;
        for (int k = 0; ok && k < chunk; k += 4096)
            ok = *(int *)(buf + k) == i * 1000 + k / 4096;
    }
    CHECK(ok, "read back");
    CHECK(read(fd, buf, 1) == 0, "then the end");
    close(fd);
    free(buf);
    fd = open("/fs_d/big", O_WRONLY | O_TRUNC);
    close(fd);
    CHECK(free_frames() == before, "O_TRUNC gives every frame back: %lu, were %lu", free_frames(), before);
    CHECK(unlink("/fs_d/big") == 0, "unlink");
}

/* Allocation failures: a write stops where memory ran out and keeps what
 * it wrote; filling all of memory fails cleanly and frees it all again. */
static int fill_memory(long arg)
{
    (void)arg;
    const int chunk = 1024 * 1024;
    char *buf = malloc(chunk);
    if (!buf)
        return 2;
    memset(buf, 'm', chunk);
    /* Files of at most FS_MAXFILE_BYTES (64 MiB and a bit): as many as it
     * takes, until one stops short of that. */
    long total = 0, in_file = 0;
    int w = 0, again = 0, files = 0;
    for (;;) {
        char name[16];
        snprintf(name, sizeof name, "/fs_d/fill%d", files++);
        int fd = open(name, O_CREATE | O_WRONLY);
        if (fd < 0)
            return 3;
        in_file = 0;
        while ((w = write(fd, buf, chunk)) == chunk)
            in_file += w;
        if (w > 0)
            in_file += w;
        total += in_file;
        if (in_file < (long)FS_MAXFILE_BYTES) {
            /* Memory is gone: the kernel still answers, with -1. */
            again = write(fd, buf, chunk);
            close(fd);
            break;
        }
        close(fd);
    }
    printf("fs_smoke: memory full after %ld MiB in %d files (short write %d, then %d)\n", total >> 20, files, w, again);
    return total > 32L * 1024 * 1024 && w < chunk && again == -1 ? 0 : 4;
}

static void test_out_of_memory(void)
{
    unsigned long before = free_frames();
    static char pages[4096 * 8];
    memset(pages, 'o', sizeof pages);
    int fd = open("/fs_d/oom", O_CREATE | O_RDWR);
    CHECK(fd >= 0, "create");
    mmfail(3, 0); /* the 4th allocation from now fails */
    int w = write(fd, pages, sizeof pages);
    mmfail(-1, 0);
    CHECK(w == 3 * 4096, "short write when memory runs out: %d", w);
    CHECK(fstat(fd, &st) == 0 && st.size == 3 * 4096, "size is what was written: %lu", st.size);
    CHECK(write(fd, pages, sizeof pages) == sizeof pages, "and the next write goes through");
    close(fd);
    CHECK(unlink("/fs_d/oom") == 0, "unlink");
    CHECK(free_frames() == before, "frames back after the failed write");

    int pid = spawn(fill_memory, 0);
    int status = wait_status(pid);
    CHECK(status == 0, "filling memory: status %d", status);
    int files = 0;
    char name[16];
    for (;; files++) {
        snprintf(name, sizeof name, "/fs_d/fill%d", files);
        if (unlink(name) < 0)
            break;
    }
    CHECK(files >= 1, "unlink the files that filled memory");
    CHECK(free_frames() == before, "all frames back: %lu, were %lu", free_frames(), before);
}

/* Concurrency: children on every hart write their own files, share one
 * fd, write the same file through their own fds, and create and remove
 * names in one directory, all at once. */
#define NCHILD 4
#define RECORDS 100
#define RECSZ 64
static int shared_fd;

static int writer(long id)
{
    char name[16], rec[RECSZ], buf[1000];
    int bad = 0;
    /* 1. a file of its own, in odd-sized pieces */
    snprintf(name, sizeof name, "/fs_d/w%ld", id);
    int fd = open(name, O_CREATE | O_RDWR);
    for (int i = 0; i < 300; i++) {
        memset(buf, 'a' + (int)id, sizeof buf);
        buf[0] = (char)i;
        if (write(fd, buf, 777) != 777)
            bad |= 1;
    }
    close(fd);
    /* 2. records through the fd all children share: one write each */
    for (int j = 0; j < RECORDS; j++) {
        memset(rec, '0' + (int)id, sizeof rec);
        rec[1] = (char)j;
        rec[RECSZ - 1] = '\n';
        if (write(shared_fd, rec, RECSZ) != RECSZ)
            bad |= 2;
    }
    /* 3. the same file through an fd of its own: each write lands whole */
    fd = open("/fs_d/same", O_RDWR);
    memset(buf, 'A' + (int)id, sizeof buf);
    for (int j = 0; j < 50; j++)
        if (write(fd, buf, sizeof buf) != sizeof buf)
            bad |= 4;
    close(fd);
    /* 4. names coming and going in one directory */
    for (int j = 0; j < 40; j++) {
        snprintf(name, sizeof name, "/fs_d/n%ld_%d", id, j);
        if (write_file(name, name, 8) != 8)
            bad |= 8;
        snprintf(name, sizeof name, "/fs_d/m%ld", id);
        if (mkdir(name) < 0 || unlink(name) < 0)
            bad |= 16;
    }
    for (int j = 0; j < 40; j++) {
        snprintf(name, sizeof name, "/fs_d/n%ld_%d", id, j);
        if (unlink(name) < 0)
            bad |= 32;
    }
    return bad;
}

static void test_concurrent(void)
{
    unsigned long before = free_frames();
    unsigned long dir_size = stat("/fs_d", &st) == 0 ? st.size : 0;
    shared_fd = open("/fs_d/shared", O_CREATE | O_RDWR);
    int fd = open("/fs_d/same", O_CREATE | O_RDWR);
    close(fd);
    CHECK(shared_fd >= 0 && fd >= 0, "create");
    int pids[NCHILD];
    for (int i = 0; i < NCHILD; i++)
        pids[i] = spawn(writer, i);
    for (int i = 0; i < NCHILD; i++) {
        int s = wait_status(pids[i]);
        CHECK(s == 0, "writer %d: status %d", i, s);
    }
    close(shared_fd);

    static char buf[300 * 777];
    for (int i = 0; i < NCHILD; i++) {
        char name[16];
        snprintf(name, sizeof name, "/fs_d/w%d", i);
        int ok = read_file(name, buf, sizeof buf) == sizeof buf;
        for (int k = 0; ok && k < 300; k++)
            ok = buf[k * 777] == (char)k && buf[k * 777 + 1] == 'a' + i && buf[k * 777 + 776] == 'a' + i;
        CHECK(ok, "own file %d intact", i);
        unlink(name);
    }
    /* Every record whole, each child's in its own order, none lost. */
    CHECK(stat("/fs_d/shared", &st) == 0 && st.size == NCHILD * RECORDS * RECSZ, "shared file size %lu", st.size);
    int next[NCHILD] = {0}, ok = read_file("/fs_d/shared", buf, NCHILD * RECORDS * RECSZ) == NCHILD * RECORDS * RECSZ;
    for (int r = 0; ok && r < NCHILD * RECORDS; r++) {
        char *rec = buf + r * RECSZ;
        int id = rec[0] - '0';
        ok = id >= 0 && id < NCHILD && rec[1] == (char)next[id] && rec[2] == rec[0] && rec[RECSZ - 1] == '\n';
        if (ok)
            next[id]++;
    }
    CHECK(ok, "shared-offset records interleave whole");
    /* Same file, separate offsets: each 1000-byte piece is one child's. */
    int n = read_file("/fs_d/same", buf, sizeof buf);
    ok = n == 50 * 1000;
    for (int k = 0; ok && k < n; k++)
        ok = buf[k] == buf[k - k % 1000] && buf[k] >= 'A' && buf[k] < 'A' + NCHILD;
    CHECK(ok, "same-file writes land whole (%d bytes)", n);
    unlink("/fs_d/shared");
    unlink("/fs_d/same");
    CHECK(stat("/fs_d", &st) == 0 && st.size == dir_size, "directory shrank back: %lu, was %lu", st.size, dir_size);
    CHECK(free_frames() == before, "frames back: %lu, were %lu", free_frames(), before);
}

static void test_fork_shares_offset(void)
{
    char buf[8];
    int fd = open("/fs_d/fork", O_CREATE | O_RDWR);
    int pid = fork();
    if (pid == 0)
        exit(write(fd, "abc", 3) == 3 ? 0 : 1);
    CHECK(wait_status(pid) == 0, "child wrote");
    CHECK(write(fd, "def", 3) == 3, "parent writes after it");
    close(fd);
    CHECK(read_file("/fs_d/fork", buf, sizeof buf) == 6 && memcmp(buf, "abcdef", 6) == 0, "one shared offset");
    unlink("/fs_d/fork");
}

static void test_exec_relative(void)
{
    CHECK(chdir("/tests") == 0, "chdir /tests");
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"fs_smoke", "exec-check", 0};
        exec("fs_smoke", argv);
        exit(99);
    }
    CHECK(wait_status(pid) == 42, "exec through a relative path");
    CHECK(chdir("/") == 0, "chdir /");
}

static void test_bad_arguments(void)
{
    CHECK(open((char *)KADDR, O_CREATE | O_RDWR) == -1, "open of a kernel path");
    CHECK(mkdir((char *)KADDR) == -1 && mkdir((char *)UNMAPPED) == -1, "mkdir of bad paths");
    CHECK(chdir((char *)KADDR) == -1, "chdir to a kernel path");
    CHECK(unlink((char *)UNMAPPED) == -1, "unlink of an unmapped path");
    CHECK(link((char *)KADDR, "/fs_d/x") == -1 && link("/tests/fs_smoke", (char *)UNMAPPED) == -1, "link");
    CHECK(mknod((char *)KADDR, 1, 0) == -1 && mknod("/fs_d/x", -1, 0) == -1, "mknod");
    int fd = open("/fs_d/bad", O_CREATE | O_RDWR);
    CHECK(write(fd, KADDR, 100) == -1 && write(fd, UNMAPPED, 100) == -1, "write from bad addresses");
    CHECK(fstat(fd, &st) == 0 && st.size == 0, "left the file empty");
    CHECK(write(fd, "data", 4) == 4, "write");
    close(fd);
    fd = open("/fs_d/bad", O_RDONLY);
    CHECK(read(fd, KADDR, 4) == -1 && read(fd, UNMAPPED, 4) == -1, "read into bad addresses");
    CHECK(fstat(fd, (struct stat *)KADDR) == -1, "fstat into a kernel address");
    close(fd);
    CHECK(unlink("/fs_d/bad") == 0, "unlink");
    /* Running out of file descriptors. */
    int fds[NOFILE_GUESS];
    int n = 0;
    while (n < NOFILE_GUESS && (fds[n] = open("/tests/fs_smoke", O_RDONLY)) >= 0)
        n++;
    CHECK(n > 0 && n < NOFILE_GUESS, "open stops when the fd table is full (%d)", n);
    while (n > 0)
        close(fds[--n]);
}

/* Running out of inodes: creation fails, and removal makes room again. */
static void test_many_files(void)
{
    unsigned long before = free_frames();
    char name[24];
    int n = 0, fd;
    for (; n < 5000; n++) {
        snprintf(name, sizeof name, "/fs_d/i%d", n);
        if ((fd = open(name, O_CREATE | O_RDWR)) < 0)
            break;
        close(fd);
    }
    CHECK(n >= 500 && n < 5000, "created %d empty files before the inode table filled", n);
    CHECK(mkdir("/fs_d/more") == -1, "no inode left for a directory");
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "/fs_d/i%d", i);
        if (unlink(name) < 0) {
            CHECK(0, "unlink %s", name);
            break;
        }
    }
    CHECK(mkdir("/fs_d/more") == 0 && unlink("/fs_d/more") == 0, "room again");
    CHECK(free_frames() == before, "directory frames back: %lu, were %lu", free_frames(), before);
}

/* Each group is its own ctest entry (fs.NAME.POLICY); "all" runs them in
 * order. Every group but "dirs" works inside /fs_d, made here. */
static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {
    {"files", test_files},
    {"dirs", test_dirs},
    {"names", test_names},
    {"links", test_links},
    {"unlink_open", test_unlink_open},
    {"devices", test_devices},
    {"many_files", test_many_files},
    {"big_file", test_big_file},
    {"out_of_memory", test_out_of_memory},
    {"concurrent", test_concurrent},
    {"fork_offset", test_fork_shares_offset},
    {"exec_relative", test_exec_relative},
    {"bad_arguments", test_bad_arguments},
};

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
        return 42;
    const char *want = argc > 1 ? argv[1] : "all";
    if (argc > 2)
        root = argv[2];
    int all = strcmp(want, "all") == 0, found = 0;
    test_begin(want);
    if (!all && strcmp(want, "dirs") != 0)
        CHECK(mkdir(P("/fs_d")) == 0, "mkdir /fs_d");
    for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (all || strcmp(want, groups[i].name) == 0) {
            groups[i].run();
            found = 1;
        }
    CHECK(found, "no test group named %s", want);
    unlink(P("/fs_d/f"));
    unlink(P("/fs_d/g"));
    CHECK(unlink(P("/fs_d")) == 0, "remove the test directory");
    return test_end();
}
