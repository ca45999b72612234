/* wc [file...]: counts lines, words and bytes of each file (or of
 * standard input), then a total when there was more than one file. */
#include "user.h"

struct counts {
    unsigned long lines, words, bytes;
};

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static int count(int fd, const char *name, struct counts *c)
{
    static char buf[512];
    int n, in_word = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        c->bytes += (unsigned long)n;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n')
                c->lines++;
            /* a word starts wherever a non-space follows a space */
            if (is_space(buf[i]))
                in_word = 0;
            else if (!in_word)
                in_word = 1, c->words++;
        }
    }
    if (n < 0) {
        fprintf(2, "wc: read error on %s\n", name);
        return -1;
    }
    return 0;
}

static void show(const struct counts *c, const char *name)
{
    printf("%lu %lu %lu", c->lines, c->words, c->bytes);
    if (name)
        printf(" %s", name);
    printf("\n");
}

int main(int argc, char **argv)
{
    struct counts total = {0, 0, 0};
    if (argc < 2) {
        if (count(0, "standard input", &total) < 0)
            return 1;
        show(&total, 0);
        return 0;
    }
    int status = 0, shown = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            fprintf(2, "usage: wc [file...]\n");
            exit(1);
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(2, "wc: cannot open %s\n", argv[i]);
            status = 1;
            continue;
        }
        struct counts c = {0, 0, 0};
        if (count(fd, argv[i], &c) < 0) {
            status = 1;
        } else {
            show(&c, argv[i]);
            total.lines += c.lines;
            total.words += c.words;
            total.bytes += c.bytes;
            shown++;
        }
        close(fd);
    }
    if (shown > 1)
        show(&total, "total");
    return status;
}
