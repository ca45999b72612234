/* xargs CMD ARGS...: runs CMD ARGS... once for each line of its standard
 * input, with the line's words (split at spaces and tabs) added to the
 * arguments, one command after the other (lab util). A CMD without a '/'
 * is also looked up in /bin. */
#include "user.h"
#include "kernel/param.h" /* MAXARG */

#define LINE_MAX 512

/* Reads one line (without its newline) into buf; 0 at the end of input
 * with nothing read. */
static int read_line(char *buf, int size)
{
    int n = 0;
    char c;
    int r;
    while ((r = read(0, &c, 1)) == 1 && c != '\n')
        if (n < size - 1)
            buf[n++] = c;
    buf[n] = 0;
    return n > 0 || r == 1;
}

/* Runs argv (argv[0] the command) and waits for it; its exit status. */
static int run(char **argv)
{
    /* LAB util BEGIN: fork; the child execs argv (cwd first, then /bin); the parent waits */
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "xargs: fork failed\n");
        return 1;
    }
    if (pid == 0) {
        exec(argv[0], argv);
        if (!strchr(argv[0], '/')) {
            char path[64];
            snprintf(path, sizeof path, "/bin/%s", argv[0]);
            exec(path, argv);
        }
        fprintf(2, "xargs: cannot run %s\n", argv[0]);
        exit(127);
    }
    int status = 1;
    wait(&status);
    return status;
    /* LAB util STUB
    (void)argv;
    fprintf(2, "xargs: not written yet\n");
    return 1;
       LAB util END */
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(2, "usage: xargs cmd [args...]\n");
        exit(1);
    }
    static char line[LINE_MAX];
    char *args[MAXARG + 1];
    int status = 0;
    while (read_line(line, sizeof line)) {
        int n = 0;
        for (int i = 1; i < argc && n < MAXARG; i++)
            args[n++] = argv[i];
        /* LAB util BEGIN: add each word of the line to args (cut at spaces and tabs), then run it */
        for (char *p = line; *p && n < MAXARG;) {
            while (*p == ' ' || *p == '\t')
                *p++ = 0;
            if (!*p)
                break;
            args[n++] = p;
            while (*p && *p != ' ' && *p != '\t')
                p++;
        }
        args[n] = 0;
        if (n == argc - 1)
            continue; /* a blank line adds nothing to run */
        if (run(args) != 0)
            status = 1;
        /* LAB util STUB
        (void)run, (void)args;
        status = 1;
           LAB util END */
    }
    exit(status);
}
