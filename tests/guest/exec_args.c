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

    /* too many arguments */
    char *many[40];
    for (int i = 0; i < 39; i++)
        many[i] = "x";
    many[39] = 0;
    CHECK(exec("/tests/exec_args", many) == -1, "exec with 39 arguments");
    return test_end();
}
