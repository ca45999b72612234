/* kill pid...: asks the kernel to kill each process. */
#include "user.h"

static int is_number(const char *s)
{
    if (*s == 0)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(2, "usage: kill pid...\n");
        exit(1);
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (!is_number(argv[i])) {
            fprintf(2, "usage: kill pid...\n");
            exit(1);
        }
        if (kill(atoi(argv[i])) < 0) {
            fprintf(2, "kill: no process %s\n", argv[i]);
            status = 1;
        }
    }
    return status;
}
