/* root=disk: "/" is the disk file system made by rvfs mkfs from the
 * initramfs's tree (the classic fs.img). Boot 1 ("write") finds the
 * programs, the classic names in /, /dev/console and /disk there, runs a
 * program from the disk, checks that the RAM the initramfs would have
 * taken is free (the lock lab's kalloctest allows 1,000 pages in use at
 * start), and leaves files behind; boot 2 ("check") finds them. */
#include "testlib.h"
#include "rvos/param.h" /* ROOTDEV: the RAM file system's dev */

static struct stat st;

static void test_write(void)
{
    struct stat root;
    CHECK(stat("/", &root) == 0 && root.type == T_DIR && root.dev != ROOTDEV, "/ is the disk (dev %d)", root.dev);
    CHECK(stat("/bin/sh", &st) == 0 && st.type == T_FILE && st.dev == root.dev, "/bin/sh on the disk");
    CHECK(stat("/sh", &st) == 0 && stat("/README", &st) == 0, "the classic names in /");
    CHECK(stat("/dev/console", &st) == 0 && st.type == T_DEVICE, "/dev/console");
    CHECK(stat("/disk", &st) == 0 && st.type == T_DIR, "/disk, an ordinary directory");
    CHECK(stat("/..", &st) == 0 && st.ino == root.ino && st.dev == root.dev, "/.. is /");
    struct memstat m = memstat_now();
    long used = (long)(m.frames_total - m.frames_free);
    printf("root_disk: %ld of %lu frames in use\n", used, m.frames_total);
    CHECK(used < 1000, "no initramfs in RAM: %ld frames in use", used);
    char *argv[] = {"/bin/echo", "from", "the", "disk", 0};
    static char out[64];
    CHECK(run_capture(argv, "/disk", 0, out, sizeof out) == 0 && strcmp(out, "from the disk\n") == 0,
          "a program run from the disk: '%s'", out);
    CHECK(mkdir("/d1") == 0 && chdir("/d1") == 0 && chdir("..") == 0 && stat(".", &st) == 0 && st.ino == root.ino,
          "mkdir, and .. of a directory in / is /");
    int fd = open("/d1/note", O_CREATE | O_WRONLY);
    CHECK(fd >= 0 && write(fd, "kept", 4) == 4 && fsync(fd) == 0, "a file in a new directory");
    close(fd);
    fd = open("/disk/note", O_CREATE | O_WRONLY);
    CHECK(fd >= 0 && write(fd, "also", 4) == 4 && fsync(fd) == 0, "a file under /disk");
    close(fd);
}

static int holds(const char *path, const char *want)
{
    static char buf[16];
    int fd = open(path, O_RDONLY), n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = 0;
    return strcmp(buf, want) == 0;
}

static void test_check(void)
{
    CHECK(holds("/d1/note", "kept") && holds("/disk/note", "also"), "the files are there after the reboot");
    CHECK(unlink("/d1/note") == 0 && unlink("/d1") == 0, "and go");
}

int main(int argc, char **argv)
{
    const char *want = argc > 1 ? argv[1] : "";
    test_begin(want);
    if (strcmp(want, "write") == 0)
        test_write();
    else if (strcmp(want, "check") == 0)
        test_check();
    else
        CHECK(0, "usage: root_disk write|check");
    return test_end();
}
