/* echo [-n] [word...]: prints the words separated by single spaces and
 * followed by a newline (none with -n). The line is built in one buffer
 * and written at once, so that it reaches a pipe in one piece. */
#include "user.h"

static char buf[1024];
static int len;

static void put(const char *s)
{
    for (; *s; s++) {
        if (len == sizeof buf) {
            write(1, buf, len);
            len = 0;
        }
        buf[len++] = *s;
    }
}

int main(int argc, char **argv)
{
    int first = 1, newline = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0)
        newline = 0, first = 2;
    for (int i = first; i < argc; i++) {
        if (i > first)
            put(" ");
        put(argv[i]);
    }
    if (newline)
        put("\n");
    if (len > 0 && write(1, buf, len) != len)
        return 1;
    return 0;
}
