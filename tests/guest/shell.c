/* The shell runs a script with pipelines, redirection, lists, groups and
 * background jobs; the test captures everything sh prints and compares it
 * with the expected output, byte for byte. */
#include "testlib.h"

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREATE | O_TRUNC);
    if (fd < 0)
        return -1;
    int n = (int)strlen(text);
    int w = write(fd, text, n);
    close(fd);
    return w == n ? 0 : -1;
}

/* Runs "sh script" with stdout and stderr into a pipe; returns the bytes
 * captured (NUL-terminated in out) and sh's exit status in *status. sh's
 * standard input is an empty pipe with no writer: a command that reads it
 * by mistake gets end-of-file instead of waiting on the console forever. */
static int run_sh(const char *script, char *out, int max, int *status)
{
    int fds[2], in[2];
    if (pipe(fds) < 0)
        return -1;
    if (pipe(in) < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    int pid = fork();
    if (pid == 0) {
        close(0);
        dup(in[0]);
        close(in[0]);
        close(in[1]);
        close(1);
        dup(fds[1]);
        close(2);
        dup(fds[1]);
        close(fds[0]);
        close(fds[1]);
        char *argv[] = {"/bin/sh", (char *)script, 0};
        exec(argv[0], argv);
        exit(126);
    }
    close(in[0]);
    close(in[1]);
    close(fds[1]);
    int got = 0, n;
    while (got < max - 1 && (n = read(fds[0], out + got, max - 1 - got)) > 0)
        got += n;
    out[got] = 0;
    close(fds[0]);
    *status = wait_status(pid);
    return got;
}

static void expect_script(const char *name, const char *script, const char *expected, int expected_status)
{
    static char out[4096];
    int status;
    CHECK(write_file("/tmp_script.sh", script) == 0, "%s: cannot write the script", name);
    run_sh("/tmp_script.sh", out, sizeof out, &status);
    CHECK(strcmp(out, expected) == 0, "%s: output\n---\n%s---\nexpected\n---\n%s---", name, out, expected);
    CHECK(status == expected_status, "%s: sh exited %d, expected %d", name, status, expected_status);
    unlink("/tmp_script.sh");
}

int main(void)
{
    test_begin("shell");
    expect_script("pipeline", "echo hello world | wc\necho a b c | cat | cat | wc\n", "1 2 12\n1 3 6\n", 0);
    expect_script("redirection",
                  "echo first > /shtest.txt\necho second >> /shtest.txt\ncat < /shtest.txt\nwc < /shtest.txt\n"
                  "grep sec /shtest.txt > /shout.txt\ncat /shout.txt\nrm /shtest.txt\nrm /shout.txt\n",
                  "first\nsecond\n2 2 13\nsecond\n", 0);
    expect_script("lists and groups",
                  "echo a ; echo b\n( echo x ; echo y ) | wc\n# a comment\necho 'quoted # not a comment'\n",
                  "a\nb\n2 2 4\nquoted # not a comment\n", 0);
    expect_script("background and wait", "echo bg > /shbg.txt &\nwait\ncat /shbg.txt\nrm /shbg.txt\n", "bg\n", 0);
    expect_script("directories",
                  "mkdir /shdir\ncd /shdir\necho in > f\ncat /shdir/f\ncd /\nrm /shdir/f\nrm /shdir\nls /shdir\n",
                  "in\nls: cannot open /shdir\n", 1);
    /* exec failures say why: missing, a directory, not a program, a bad
     * ELF file; the script goes on after each. */
    CHECK(write_file("/shtext", "just text\n") == 0, "cannot write /shtext");
    CHECK(write_file("/shbadelf", "\x7f"
                                  "ELF\x02\x01\x01 not really an ELF file") == 0,
          "cannot write /shbadelf");
    expect_script("exec errors", "nosuchprogram\n/shtext\n/shbadelf\n/bin\necho still running\n",
                  "sh: nosuchprogram: not found\n"
                  "sh: /shtext: not an executable program (no ELF header)\n"
                  "sh: /shbadelf: cannot execute: bad ELF file for this machine, or out of memory\n"
                  "sh: /bin: is a directory\n"
                  "still running\n",
                  0);
    unlink("/shtext");
    unlink("/shbadelf");
    /* MAXARG (32) words, the command name included, is the limit, and the
     * message names it. */
    expect_script("32 words",
                  "echo 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32\n",
                  "2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32\n", 0);
    expect_script("33 words",
                  "echo 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33\n",
                  "sh: too many arguments: at most 32 words per command, its name included (MAXARG)\n", 2);
    /* a syntax error is reported and the script goes on with the next line */
    static char out[1024];
    int status;
    write_file("/tmp_script.sh", "echo ( |\necho after\n");
    run_sh("/tmp_script.sh", out, sizeof out, &status);
    unlink("/tmp_script.sh");
    CHECK(str_contains(out, "syntax error"), "no syntax error reported: %s", out);
    CHECK(str_contains(out, "after\n"), "the line after a syntax error did not run: %s", out);
    return test_end();
}
