/* The classic file semantics course tests rely on:
 *   - a write may not start past the end of a file: it returns -1 and
 *     changes nothing (usertests' truncate2: an fd whose file another fd
 *     truncated);
 *   - a path component longer than DIRSIZ is cut to DIRSIZ bytes, for
 *     lookups and new names alike (usertests' fourteen);
 *   - a tiny file left behind costs no memory page (usertests' sbrklast
 *     leaves a 1-byte file, then counts free pages against its start). */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "testlib.h"

static int size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)st.size : -1;
}

static void write_past_end(void)
{
    char buf[16];
    unsigned long none = free_frames();
    int fd1 = open("wpe", O_CREATE | O_TRUNC | O_RDWR);
    CHECK(fd1 >= 0 && write(fd1, "abcd", 4) == 4, "write abcd");
    int fd2 = open("wpe", O_TRUNC | O_WRONLY); /* fd1 now points past the end */
    unsigned long before = free_frames();
    CHECK(size_of("wpe") == 0, "O_TRUNC empties");
    CHECK(write(fd1, "x", 1) == -1, "a write past the end returns -1");
    CHECK(write(fd1, "", 0) == -1, "so does an empty one");
    CHECK(size_of("wpe") == 0 && free_frames() == before, "and changes nothing");

    /* once the file reaches fd1's offset again, fd1 writes on from there */
    CHECK(write(fd2, "ABC", 3) == 3, "write at the end through the other fd");
    CHECK(write(fd1, "x", 1) == -1, "fd1 is still past the end");
    CHECK(write(fd2, "D", 1) == 1 && write(fd1, "e", 1) == 1, "a write starting exactly at the end works");
    int rd = open("wpe", O_RDONLY);
    memset(buf, 0, sizeof buf);
    CHECK(read(rd, buf, sizeof buf) == 5 && strcmp(buf, "ABCDe") == 0, "contents \"%s\"", buf);
    close(rd);
    close(fd1);
    close(fd2);
    CHECK(unlink("wpe") == 0 && free_frames() == none, "unlink");
}

static unsigned int ino_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.ino : 0;
}

/* Whether directory dir lists name (exactly DIRSIZ bytes compared). */
static int listed(const char *dir, const char *name)
{
    struct dirent de;
    int fd = open(dir, O_RDONLY), found = 0;
    while (fd >= 0 && read(fd, &de, sizeof de) == sizeof de)
        if (de.inum && memcmp(de.name, name, DIRSIZ) == 0)
            found = 1;
    close(fd);
    return found;
}

static void long_names(void)
{
    CHECK(DIRSIZ == 14, "DIRSIZ %d", DIRSIZ);
    /* created with a long name, found by its first 14 bytes and by any
     * other name that starts with them */
    int fd = open("abcdefghijklmnopqrstuvwxyz", O_CREATE | O_RDWR);
    CHECK(fd >= 0 && write(fd, "long", 4) == 4, "create a 26-byte name");
    close(fd);
    unsigned int ino = ino_of("abcdefghijklmn");
    CHECK(ino != 0 && listed(".", "abcdefghijklmn"), "made as its first 14 bytes");
    CHECK(ino_of("abcdefghijklmnopqrstuvwxyz") == ino && ino_of("abcdefghijklmn0") == ino, "longer names find it");
    CHECK(size_of("abcdefghijklmnXYZ") == 4, "and read it");
    CHECK(unlink("abcdefghijklmn!") == 0 && ino_of("abcdefghijklmn") == 0, "unlink through a longer name");

    /* created with the 14-byte name, opened with a longer one */
    fd = open("12345678901234", O_CREATE | O_RDWR);
    close(fd);
    fd = open("123456789012345", O_RDONLY);
    CHECK(fd >= 0, "open a 15-byte name finds the 14-byte one");
    close(fd);

    /* usertests' fourteen, in short */
    CHECK(mkdir("12345678901234x") == -1, "mkdir of a name that is an existing file once cut");
    CHECK(unlink("12345678901234") == 0 && mkdir("12345678901234") == 0, "mkdir of 14 bytes");
    CHECK(mkdir("12345678901234/123456789012345") == 0, "mkdir of 15 bytes inside");
    fd = open("123456789012345/123456789012345/123456789012345", O_CREATE);
    CHECK(fd >= 0, "create through three long names");
    close(fd);
    fd = open("12345678901234/12345678901234/12345678901234", 0);
    CHECK(fd >= 0, "open it through their first 14 bytes");
    close(fd);
    CHECK(mkdir("12345678901234/12345678901234") == -1, "mkdir of an existing directory");
    CHECK(unlink("12345678901234/12345678901234/12345678901234") == 0 &&
              unlink("12345678901234/123456789012345") == 0 && unlink("12345678901234") == 0,
          "clean up");
}

/* A file of up to 96 bytes lives in its inode; one byte more moves it to
 * a frame, and emptying it gives the frame back. */
static void tiny_files(void)
{
    char buf[128], back[128];
    for (int i = 0; i < (int)sizeof buf; i++)
        buf[i] = (char)('a' + i % 26);
    int fd = open("tiny", O_CREATE | O_TRUNC | O_RDWR);
    unsigned long before = free_frames(); /* the directory entry may have taken a frame */
    CHECK(fd >= 0 && write(fd, buf, 1) == 1, "write 1 byte");
    CHECK(free_frames() == before, "a 1-byte file takes no frame");
    CHECK(write(fd, buf + 1, 95) == 95 && free_frames() == before && size_of("tiny") == 96, "nor does one of 96");
    int rd = open("tiny", O_RDONLY);
    CHECK(read(rd, back, sizeof back) == 96 && memcmp(back, buf, 96) == 0, "96 bytes read back");
    CHECK(write(fd, buf + 96, 32) == 32 && free_frames() == before - 1, "the 97th byte takes a frame");
    CHECK(read(rd, back + 96, 64) == 32 && memcmp(back, buf, 128) == 0, "128 bytes read back");
    close(rd);
    close(fd);
    fd = open("tiny", O_TRUNC | O_RDWR);
    CHECK(fd >= 0 && free_frames() == before, "O_TRUNC gives the frame back");
    CHECK(write(fd, "xy", 2) == 2 && free_frames() == before, "and the file is small again");
    memset(back, 0, sizeof back);
    rd = open("tiny", O_RDONLY);
    CHECK(read(rd, back, sizeof back) == 2 && strcmp(back, "xy") == 0, "contents \"%s\"", back);
    close(rd);
    /* A write that fails (a bad address: usertests' lazy_copy) keeps no
     * frame and leaves the small file's bytes where they were. */
    CHECK(write(fd, (char *)0x3fffffc000L, 512) == -1, "a write from a bad address");
    CHECK(free_frames() == before, "a failed write kept %ld frames", (long)(before - free_frames()));
    memset(back, 0, sizeof back);
    rd = open("tiny", O_RDONLY);
    CHECK(read(rd, back, sizeof back) == 2 && strcmp(back, "xy") == 0, "after it: \"%s\"", back);
    close(rd);
    close(fd);
    CHECK(unlink("tiny") == 0, "unlink");
}

int main(void)
{
    test_begin("xv6_files");
    CHECK(chdir("/") == 0, "chdir /");
    write_past_end();
    long_names();
    tiny_files();
    return test_end();
}
