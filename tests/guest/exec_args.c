/* exec: arguments arrive intact, the image is replaced (pid kept, memory
 * of the old image gone), and failed execs (missing file, bad pointers,
 * not an ELF) return -1 leaving the caller running. */
#include "testlib.h"

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "child") == 0) {
        /* the exec'd image: check what it was given */
        if (argc != 5 || strcmp(argv[2], "one") != 0 || strcmp(argv[3], "") != 0 ||
            strcmp(argv[4], "a longer third argument with spaces") != 0 || argv[5] != 0)
            exit(10);
        exit(getpid() & 0x3f);
    }
    test_begin("exec_args");
    int pid = fork();
    if (pid == 0) {
        char *args[] = {"/tests/exec_args", "child", "one", "", "a longer third argument with spaces", 0};
        exec(args[0], args);
        exit(99);
    }
    CHECK(wait_status(pid) == (pid & 0x3f), "exec'd child status");

    char *none[] = {"nope", 0};
    CHECK(exec("/no/such/file", none) == -1, "exec of a missing file");
    CHECK(exec((char *)0, none) == -1, "exec of a NULL path");
    CHECK(exec("/tests/exec_args", (char **)0x10) == -1, "exec with a bad argv");
    CHECK(exec((char *)0xffffffc080200000UL, none) == -1, "exec of a kernel path pointer");
    char *badarg[] = {"/tests/exec_args", (char *)0x3000000000L, 0};
    CHECK(exec("/tests/exec_args", badarg) == -1, "exec with a bad argument string");
    CHECK(exec("/dev/console", none) == -1, "exec of a device");
    CHECK(exec("/", none) == -1, "exec of a directory");

    /* corrupt and truncated ELF files */
    static char image[8192];
    int fd = open("/tests/exec_args", O_RDONLY);
    int n = read(fd, image, sizeof image);
    close(fd);
    CHECK(n == (int)sizeof image, "read our own image");
    struct {
        const char *what;
        int offset, len; /* bytes of image to keep, after corrupting */
        int patch_at;
        char patch;
    } bad[] = {
        {"bad magic", 0, 8192, 1, 'X'},
        {"32-bit class", 0, 8192, 4, 1},
        {"wrong machine", 0, 8192, 18, 3},
        {"program headers past the end", 0, 8192, 32, 0x7f},
        {"truncated to its header", 0, 64, -1, 0},
        {"empty", 0, 0, -1, 0},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        static char copy[8192];
        memcpy(copy, image, sizeof copy);
        if (bad[i].patch_at >= 0)
            copy[bad[i].patch_at] = bad[i].patch;
        fd = open("/bad_elf", O_WRONLY | O_CREATE | O_TRUNC);
        CHECK(fd >= 0 && write(fd, copy, bad[i].len) == bad[i].len, "writing the %s file", bad[i].what);
        close(fd);
        unsigned long before = free_frames();
        char *argv[] = {"/bad_elf", 0};
        CHECK(exec("/bad_elf", argv) == -1, "exec of a %s ELF succeeded", bad[i].what);
        CHECK(free_frames() == before, "failed exec (%s) leaked %ld frames", bad[i].what,
              (long)(before - free_frames()));
        unlink("/bad_elf");
    }

    /* too many arguments */
    char *many[40];
    for (int i = 0; i < 39; i++)
        many[i] = "x";
    many[39] = 0;
    CHECK(exec("/tests/exec_args", many) == -1, "exec with 39 arguments");
    return test_end();
}
