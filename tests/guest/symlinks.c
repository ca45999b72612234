/* Symbolic links (labs/fs): symlink(), open following links, O_NOFOLLOW,
 * links to directories inside paths, relative and absolute targets, the
 * depth limit, dangling links, unlink of a link, and the frames a long
 * target takes. Each group is a ctest entry of its own (symlinks.NAME);
 * everything lives in /sl, removed at the end, so test_end can check that
 * every frame came back. */
#include "testlib.h"
#include "rvos/param.h" /* MAXPATH */

#define UNMAPPED ((void *)0x3000000000L)

static struct stat st;

static int write_file(const char *path, const char *s)
{
    int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0)
        return -1;
    int n = (int)strlen(s);
    int w = write(fd, s, n);
    close(fd);
    return w == n ? 0 : -1;
}

/* Reads path (following links) into buf as a string; -1 if it cannot be
 * opened. */
static int read_str(const char *path, char *buf, int n, int flags)
{
    buf[0] = 0; /* a failure message prints buf: never stale bytes */
    int fd = open(path, O_RDONLY | flags);
    if (fd < 0)
        return -1;
    int r = read(fd, buf, n - 1);
    close(fd);
    buf[r < 0 ? 0 : r] = 0;
    return r;
}

/* The type of path itself (not what it points to), or -1. */
static int ltype(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    int r = fstat(fd, &st);
    close(fd);
    return r < 0 ? -1 : st.type;
}

static void test_basic(void)
{
    char buf[64];
    CHECK(write_file("/sl/file", "hello") == 0, "make the target");
    CHECK(symlink("/sl/file", "/sl/abs") == 0, "symlink with an absolute target");
    CHECK(read_str("/sl/abs", buf, sizeof buf, 0) == 5 && strcmp(buf, "hello") == 0, "read through it: '%s'", buf);
    CHECK(stat("/sl/abs", &st) == 0 && st.type == T_FILE && st.size == 5, "stat follows: type %d", st.type);
    unsigned int target_ino = stat("/sl/file", &st) == 0 ? st.ino : 0;
    CHECK(stat("/sl/abs", &st) == 0 && st.ino == target_ino, "the same inode as the target");
    CHECK(ltype("/sl/abs") == T_SYMLINK, "the link itself is T_SYMLINK (%d)", ltype("/sl/abs"));
    CHECK(ltype("/sl/file") == T_FILE, "O_NOFOLLOW on a plain file opens the file");

    /* Writing through the link writes the target. */
    int fd = open("/sl/abs", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && write(fd, "bye", 3) == 3, "write through the link");
    close(fd);
    CHECK(read_str("/sl/file", buf, sizeof buf, 0) == 3 && strcmp(buf, "bye") == 0, "target changed: '%s'", buf);
    /* O_CREATE on an existing link opens its target, creates nothing new. */
    fd = open("/sl/abs", O_CREATE | O_RDWR);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.ino == target_ino, "O_CREATE through the link");
    close(fd);

    /* A relative target is relative to the link's own directory, not to
     * the current directory of whoever opens it. */
    CHECK(symlink("file", "/sl/rel") == 0, "symlink with a relative target");
    CHECK(read_str("/sl/rel", buf, sizeof buf, 0) == 3 && strcmp(buf, "bye") == 0, "relative: '%s'", buf);
    CHECK(chdir("/") == 0 && read_str("sl/rel", buf, sizeof buf, 0) == 3, "from elsewhere");

    /* Links to links. */
    CHECK(symlink("/sl/rel", "/sl/chain") == 0, "a link to a link");
    CHECK(read_str("/sl/chain", buf, sizeof buf, 0) == 3, "two hops");
    CHECK(unlink("/sl/chain") == 0 && unlink("/sl/rel") == 0 && unlink("/sl/abs") == 0, "remove the links");
    CHECK(unlink("/sl/file") == 0, "remove the target");
}

static void test_nofollow(void)
{
    char buf[MAXPATH];
    CHECK(write_file("/sl/t", "data") == 0, "target");
    CHECK(symlink("/sl/t", "/sl/l") == 0, "link");
    /* Reading the link itself gives its target, as readlink would. */
    CHECK(read_str("/sl/l", buf, sizeof buf, O_NOFOLLOW) == 5 && strcmp(buf, "/sl/t") == 0, "target text '%s'", buf);
    int fd = open("/sl/l", O_RDONLY | O_NOFOLLOW);
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.type == T_SYMLINK && st.size == 5 && st.nlink == 1,
          "fstat of the link: type %d size %lu nlink %d", st.type, st.size, st.nlink);
    close(fd);
    /* A link is not written through O_NOFOLLOW, nor truncated. */
    CHECK(open("/sl/l", O_WRONLY | O_NOFOLLOW) == -1, "O_NOFOLLOW for writing");
    CHECK(open("/sl/l", O_RDWR | O_NOFOLLOW) == -1, "O_NOFOLLOW read-write");
    CHECK(open("/sl/l", O_RDONLY | O_TRUNC | O_NOFOLLOW) == -1, "O_NOFOLLOW with O_TRUNC");
    CHECK(open("/sl/l", O_CREATE | O_RDONLY | O_NOFOLLOW) == -1, "O_NOFOLLOW with O_CREATE on a link");
    CHECK(read_str("/sl/t", buf, sizeof buf, 0) == 4, "target untouched");
    /* O_NOFOLLOW concerns the last name only: links before it are followed. */
    CHECK(mkdir("/sl/d") == 0 && write_file("/sl/d/f", "x") == 0, "a directory");
    CHECK(symlink("/sl/d", "/sl/dl") == 0, "a link to it");
    CHECK(ltype("/sl/dl/f") == T_FILE, "O_NOFOLLOW through a directory link");
    CHECK(unlink("/sl/d/f") == 0 && unlink("/sl/d") == 0 && unlink("/sl/dl") == 0, "clean up dirs");
    CHECK(unlink("/sl/l") == 0 && unlink("/sl/t") == 0, "clean up");
}

static void test_dirs(void)
{
    char buf[64];
    CHECK(mkdir("/sl/real") == 0 && mkdir("/sl/real/sub") == 0, "directories");
    CHECK(write_file("/sl/real/sub/f", "deep") == 0, "a file inside");
    CHECK(symlink("/sl/real", "/sl/dl") == 0, "absolute link to a directory");
    CHECK(symlink("real/sub", "/sl/sl") == 0, "relative link to a subdirectory");
    CHECK(read_str("/sl/dl/sub/f", buf, sizeof buf, 0) == 4, "a path through the link");
    CHECK(read_str("/sl/sl/f", buf, sizeof buf, 0) == 4, "a path through the relative link");
    CHECK(read_str("/sl/dl/sub/../sub/f", buf, sizeof buf, 0) == 4, ".. inside the target directory");
    CHECK(stat("/sl/dl", &st) == 0 && st.type == T_DIR, "stat follows to the directory");
    CHECK(stat("/sl/dl/", &st) == 0 && st.type == T_DIR, "trailing slash");
    /* Creating and removing names through a link to a directory. */
    CHECK(write_file("/sl/dl/new", "n") == 0 && stat("/sl/real/new", &st) == 0, "create through the link");
    CHECK(unlink("/sl/dl/new") == 0 && stat("/sl/real/new", &st) == -1, "unlink through the link");
    CHECK(mkdir("/sl/sl/nd") == 0 && unlink("/sl/real/sub/nd") == 0, "mkdir through the link");
    /* chdir through a link, then a relative path from there. */
    CHECK(chdir("/sl/sl") == 0 && read_str("f", buf, sizeof buf, 0) == 4, "chdir through the link");
    CHECK(chdir("/") == 0, "back to /");
    /* A link to a file is not a directory. */
    CHECK(symlink("/sl/real/sub/f", "/sl/fl") == 0, "link to a file");
    CHECK(open("/sl/fl/x", O_RDONLY) == -1 && stat("/sl/fl/", &st) == -1, "a file link used as a directory");
    CHECK(open("/sl/dl", O_RDWR) == -1, "a directory through a link is still not writable");
    CHECK(unlink("/sl/fl") == 0 && unlink("/sl/sl") == 0 && unlink("/sl/dl") == 0, "remove the links");
    CHECK(unlink("/sl/real/sub/f") == 0 && unlink("/sl/real/sub") == 0 && unlink("/sl/real") == 0, "remove dirs");
}

static void test_loops(void)
{
    char name[32], target[32], buf[16];
    CHECK(symlink("/sl/self", "/sl/self") == 0, "a link to itself");
    CHECK(open("/sl/self", O_RDONLY) == -1, "opening a self-loop fails");
    CHECK(open("/sl/self/x", O_RDONLY) == -1, "so does a path through it");
    CHECK(symlink("/sl/b", "/sl/a") == 0 && symlink("a", "/sl/b") == 0, "a two-link loop");
    CHECK(open("/sl/a", O_RDONLY) == -1 && open("/sl/b", O_CREATE | O_RDWR) == -1, "opening either fails");
    CHECK(stat("/sl/a", &st) == -1 && chdir("/sl/a") == -1, "stat and chdir fail");
    CHECK(ltype("/sl/a") == T_SYMLINK, "O_NOFOLLOW still opens the link");

    /* A chain of exactly SYMLINK_DEPTH (10) links resolves; 11 do not.
     * /sl/c0 -> file, /sl/cN -> cN-1. */
    CHECK(write_file("/sl/end", "ok") == 0, "chain end");
    CHECK(symlink("end", "/sl/c1") == 0, "c1");
    for (int i = 2; i <= 11; i++) {
        snprintf(name, sizeof name, "/sl/c%d", i);
        snprintf(target, sizeof target, "c%d", i - 1);
        CHECK(symlink(target, name) == 0, "%s", name);
    }
    CHECK(read_str("/sl/c10", buf, sizeof buf, 0) == 2, "10 links are followed");
    CHECK(open("/sl/c11", O_RDONLY) == -1, "11 are too many");
    for (int i = 1; i <= 11; i++) {
        snprintf(name, sizeof name, "/sl/c%d", i);
        CHECK(unlink(name) == 0, "unlink %s", name);
    }
    CHECK(unlink("/sl/end") == 0 && unlink("/sl/a") == 0 && unlink("/sl/b") == 0 && unlink("/sl/self") == 0,
          "clean up");
}

static void test_dangling(void)
{
    char buf[16];
    CHECK(symlink("/sl/nothing", "/sl/dang") == 0, "a link to nothing is allowed");
    CHECK(ltype("/sl/dang") == T_SYMLINK, "and exists");
    CHECK(open("/sl/dang", O_RDONLY) == -1, "opening it fails");
    CHECK(open("/sl/dang", O_CREATE | O_RDWR) == -1, "O_CREATE through it fails too");
    CHECK(stat("/sl/nothing", &st) == -1, "and did not create the target");
    CHECK(stat("/sl/dang", &st) == -1, "stat fails");
    CHECK(symlink("/sl/x", "/sl/dang") == -1, "the name is taken all the same");
    /* The target appears: the link works. */
    CHECK(write_file("/sl/nothing", "now") == 0, "make the target");
    CHECK(read_str("/sl/dang", buf, sizeof buf, 0) == 3, "the link resolves now");
    CHECK(unlink("/sl/nothing") == 0 && open("/sl/dang", O_RDONLY) == -1, "and dangles again");
    CHECK(unlink("/sl/dang") == 0, "remove it");
}

static void test_unlink(void)
{
    char buf[16];
    CHECK(write_file("/sl/t", "keep") == 0 && symlink("/sl/t", "/sl/l") == 0, "file and link");
    CHECK(stat("/sl/t", &st) == 0 && st.nlink == 1, "a symlink is no hard link: nlink %d", st.nlink);
    CHECK(unlink("/sl/l") == 0, "unlink the link");
    CHECK(ltype("/sl/l") == -1, "the link is gone");
    CHECK(read_str("/sl/t", buf, sizeof buf, 0) == 4 && strcmp(buf, "keep") == 0, "the target stays");
    /* An open fd through a link keeps working after the link goes. */
    CHECK(symlink("t", "/sl/l2") == 0, "another link");
    int fd = open("/sl/l2", O_RDONLY);
    CHECK(fd >= 0 && unlink("/sl/l2") == 0, "open, then unlink the link");
    CHECK(read(fd, buf, 4) == 4, "the fd still reads the target");
    close(fd);
    /* A link to a directory is unlinked like a file, and the directory,
     * not empty, stays. */
    CHECK(mkdir("/sl/d") == 0 && write_file("/sl/d/f", "x") == 0 && symlink("/sl/d", "/sl/dl") == 0, "dir link");
    CHECK(unlink("/sl/dl") == 0 && stat("/sl/d/f", &st) == 0, "unlink of a directory link");
    CHECK(unlink("/sl/d/f") == 0 && unlink("/sl/d") == 0 && unlink("/sl/t") == 0, "clean up");
}

static void test_errors(void)
{
    char longt[MAXPATH + 8];
    CHECK(symlink("", "/sl/e") == -1, "an empty target");
    CHECK(symlink("x", "") == -1, "an empty path");
    CHECK(symlink("x", "/sl/nodir/e") == -1, "a missing parent directory");
    CHECK(symlink("x", "/sl/e/") == -1, "a path ending in /");
    CHECK(symlink(UNMAPPED, "/sl/e") == -1, "a bad target pointer");
    CHECK(symlink("x", UNMAPPED) == -1, "a bad path pointer");
    CHECK(mkdir("/sl/d") == 0, "a directory");
    CHECK(symlink("x", "/sl/d") == -1 && symlink("x", "/sl") == -1, "an existing name");
    memset(longt, 'a', sizeof longt);
    longt[MAXPATH + 7] = 0;
    CHECK(symlink(longt, "/sl/e") == -1, "a target longer than MAXPATH");
    CHECK(ltype("/sl/e") == -1, "none of them made anything");
    /* A link whose spliced path is too long fails cleanly on lookup. */
    longt[MAXPATH - 1] = 0; /* 127 bytes, the longest target */
    CHECK(symlink(longt, "/sl/long") == 0, "the longest target");
    CHECK(open("/sl/long", O_RDONLY) == -1, "names nothing");
    CHECK(open("/sl/long/x", O_RDONLY) == -1, "nor with more after it");
    CHECK(unlink("/sl/long") == 0 && unlink("/sl/d") == 0, "clean up");
}

/* Short targets live in the inode (no frame); a long one takes a frame,
 * which comes back with the link. */
static void test_frames(void)
{
    char longt[120], buf[MAXPATH];
    unsigned long before = free_frames();
    CHECK(symlink("short", "/sl/s") == 0, "a short target");
    CHECK(free_frames() == before, "takes no frame: %lu were %lu", free_frames(), before);
    memset(longt, 'b', sizeof longt);
    longt[0] = '/';
    longt[sizeof longt - 1] = 0;
    CHECK(symlink(longt, "/sl/l") == 0, "a 119-byte target");
    CHECK(free_frames() == before - 1, "takes one frame: %lu were %lu", free_frames(), before);
    CHECK(read_str("/sl/l", buf, sizeof buf, O_NOFOLLOW) == 119 && strcmp(buf, longt) == 0, "read back in full");
    CHECK(unlink("/sl/l") == 0 && unlink("/sl/s") == 0, "unlink both");
    CHECK(free_frames() == before, "every frame back: %lu were %lu", free_frames(), before);
    /* Many links, all undone. */
    char name[16];
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof name, "/sl/m%d", i);
        CHECK(symlink(longt, name) == 0, "%s", name);
    }
    for (int i = 0; i < 50; i++) {
        snprintf(name, sizeof name, "/sl/m%d", i);
        CHECK(unlink(name) == 0, "%s", name);
    }
    CHECK(free_frames() == before, "after 50 long links: %lu were %lu", free_frames(), before);
}

/* A symbolic link to a program can be run. */
static void test_exec(void)
{
    CHECK(symlink("/tests/symlinks", "/sl/prog") == 0, "a link to this program");
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"prog", "exec-check", 0};
        exec("/sl/prog", argv);
        exit(1);
    }
    CHECK(wait_status(pid) == 42, "exec through the link");
    CHECK(unlink("/sl/prog") == 0, "clean up");
}

/* Runs argv with stdout into buf (a string); returns the exit status. */
static int run(char **argv, char *buf, int n)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1000;
    int pid = fork();
    if (pid == 0) {
        close(1);
        dup(fds[1]);
        close(fds[0]);
        close(fds[1]);
        exec(argv[0], argv);
        exit(127);
    }
    close(fds[1]);
    int got = 0, r;
    while (got < n - 1 && (r = read(fds[0], buf + got, n - 1 - got)) > 0)
        got += r;
    buf[got] = 0;
    close(fds[0]);
    return wait_status(pid);
}

static int contains(const char *hay, const char *needle)
{
    int nl = (int)strlen(needle);
    for (; *hay; hay++)
        if (strncmp(hay, needle, nl) == 0)
            return 1;
    return 0;
}

/* ln -s makes links; ls shows them as links, with their targets, also
 * when they dangle. */
static void test_tools(void)
{
    char out[512];
    CHECK(write_file("/sl/t", "abc") == 0, "target");
    char *ln[] = {"/bin/ln", "-s", "/sl/t", "/sl/l", 0};
    CHECK(run(ln, out, sizeof out) == 0, "ln -s");
    CHECK(ltype("/sl/l") == T_SYMLINK, "ln -s made a symbolic link");
    char *dang[] = {"/bin/ln", "-s", "nowhere", "/sl/d", 0};
    CHECK(run(dang, out, sizeof out) == 0, "ln -s of a dangling target");
    CHECK(run(ln, out, sizeof out) != 0, "ln -s onto an existing name fails");
    char *ls[] = {"/bin/ls", "/sl", 0};
    CHECK(run(ls, out, sizeof out) == 0, "ls /sl: %s", out);
    CHECK(contains(out, " 4 ") && contains(out, "-> /sl/t"), "ls shows the link and its target: %s", out);
    CHECK(contains(out, "-> nowhere"), "and the dangling one: %s", out);
    char *lsl[] = {"/bin/ls", "/sl/l", 0};
    CHECK(run(lsl, out, sizeof out) == 0 && contains(out, " 2 ") && contains(out, " 3\n"),
          "ls of the link by name shows the file: %s", out);
    CHECK(unlink("/sl/l") == 0 && unlink("/sl/d") == 0 && unlink("/sl/t") == 0, "clean up");
}

static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {
    {"basic", test_basic},       {"nofollow", test_nofollow}, {"dirs", test_dirs},     {"loops", test_loops},
    {"dangling", test_dangling}, {"unlink", test_unlink},     {"errors", test_errors}, {"frames", test_frames},
    {"exec", test_exec},         {"tools", test_tools},
};

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
        return 42;
    const char *want = argc > 1 ? argv[1] : "all";
    int all = strcmp(want, "all") == 0, found = 0;
    test_begin(want);
    CHECK(mkdir("/sl") == 0, "mkdir /sl");
    for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (all || strcmp(want, groups[i].name) == 0) {
            groups[i].run();
            found = 1;
        }
    CHECK(found, "no test group named %s", want);
    CHECK(chdir("/") == 0 && unlink("/sl") == 0, "remove /sl (left empty)");
    return test_end();
}
