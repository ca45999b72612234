/* cat [file...]: copies each file, or standard input when none is named
 * ("-" also means standard input), to standard output. */
#include "user.h"

static char buf[512];

/* Copies fd to standard output; returns 0, or -1 after reporting an error. */
static int copy(int fd, const char *name)
{
    int n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (int done = 0; done < n;) {
            int w = write(1, buf + done, n - done);
            if (w <= 0) {
                fprintf(2, "cat: write error\n");
                exit(1); /* the reader went away: nothing more to do */
            }
            done += w;
        }
    }
    if (n < 0) {
        fprintf(2, "cat: read error on %s\n", name);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return copy(0, "standard input") < 0;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            status |= copy(0, "standard input") < 0;
            continue;
        }
        if (argv[i][0] == '-') {
            fprintf(2, "usage: cat [file...]\n");
            exit(1);
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "cat: cannot open %s\n", argv[i]);
            status = 1; /* go on with the other files, as cat always has */
            continue;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && st.type == T_DIR) {
            fprintf(2, "cat: %s is a directory\n", argv[i]);
            status = 1;
        } else if (copy(fd, argv[i]) < 0) {
            status = 1;
        }
        close(fd);
    }
    return status;
}
