/* trace MASK cmd args...: runs cmd with system-call tracing on (lab
 * syscall). MASK has bit n set for each system call number n to report
 * (rvos/syscall.h), in decimal or as 0x... hex; the kernel prints
 * "N: syscall NAME -> RESULT" for each traced call of cmd and of the
 * children it forks. A cmd without a '/' is looked up in /bin. */
#include "user.h"

static int parse_mask(const char *s, unsigned long *out)
{
    unsigned long v = 0;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    if (*s == 0)
        return -1;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return -1;
        v = v * (unsigned long)base + (unsigned long)d;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long mask;
    if (argc < 3 || parse_mask(argv[1], &mask) < 0) {
        fprintf(2, "usage: trace MASK cmd args...\n");
        exit(1);
    }
    if (trace(mask) < 0) {
        fprintf(2, "trace: the trace system call failed\n");
        exit(1);
    }
    exec(argv[2], argv + 2);
    if (!strchr(argv[2], '/')) {
        char path[64];
        snprintf(path, sizeof path, "/bin/%s", argv[2]);
        exec(path, argv + 2);
    }
    fprintf(2, "trace: cannot run %s\n", argv[2]);
    exit(1);
}
