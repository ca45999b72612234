/* Console input arrives by UART interrupts through the PLIC and is handed
 * out a line at a time (line mode), with backspace editing; control
 * characters never reach a line, ^C with no foreground job drops the line
 * being typed, and a line over 255 characters is discarded whole (with a
 * message), never cut. ctest types
 * tests/guest/console_input.txt into the serial port. The file ends with
 * ^D, so a line the kernel lost makes a read return 0 (and the test fail)
 * instead of waiting for input that never comes. */
#include "testlib.h"

static int read_line(char *buf, int max)
{
    int n = 0;
    while (n < max - 1) {
        int r = read(0, buf + n, 1);
        if (r <= 0)
            break;
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = 0;
    return n;
}

int main(void)
{
    test_begin("console_input");
    char line[128];
    read_line(line, sizeof line);
    CHECK(strcmp(line, "hello, console\n") == 0, "first line '%s'", line);
    read_line(line, sizeof line);
    CHECK(strcmp(line, "second line\n") == 0, "second line (with a backspace) '%s'", line);
    read_line(line, sizeof line);
    CHECK(strcmp(line, "ta bc\n") == 0, "Tab, ^L, ^Z and escape sequences: '%s'", line);
    read_line(line, sizeof line);
    CHECK(strcmp(line, "ok\n") == 0, "^C should drop 'junk': '%s'", line);
    read_line(line, sizeof line); /* the 300-character line is not there at all */
    CHECK(strcmp(line, "after long\n") == 0, "the line after an over-long one: '%s'", line);
    /* a larger read returns one line, not more */
    int n = read(0, line, sizeof line - 1);
    line[n > 0 ? n : 0] = 0;
    CHECK(strcmp(line, "3\n") == 0, "third read '%s'", line);
    /* ^D on its own: end of input */
    CHECK(read(0, line, sizeof line - 1) == 0, "read at ^D did not return 0");
    return test_end();
}
