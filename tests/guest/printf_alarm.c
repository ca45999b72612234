/* printf from an alarm handler that interrupts another printf
 * (userland/lib/printf.c): deep in the stack printf gathers a line in a
 * static buffer, and a handler's printf must neither write into it nor
 * lose its own line. Main prints numbered lines from 2.5 KiB down the
 * stack while an alarm every tick prints lines of its own; a reader
 * process checks that every line that comes out of the pipe is whole,
 * main's in order and the handler's all there. */
#include "testlib.h"
#include "rvos/usyscall.h"

#define ALARMS 10
#define DEEP 2560

static int out = -1;
static volatile int alarms;

static void tick(void)
{
    alarms++;
    fprintf(out, "alarm %d from the handler\n", alarms);
    sigreturn();
}

/* Reads the pipe to the end, checking each line. */
static int reader(long fd)
{
    static char line[128], chunk[512];
    int len = 0, next = 0, handler_lines = 0, bad = 0, n;
    close(out); /* the write end: main's alone, so that we see the end */
    while ((n = read((int)fd, chunk, sizeof chunk)) > 0)
        for (int k = 0; k < n; k++) {
            if (chunk[k] != '\n') {
                if (len < (int)sizeof line - 1)
                    line[len++] = chunk[k];
                continue;
            }
            line[len] = 0;
            len = 0;
            char want[128];
            snprintf(want, sizeof want, "main line %d, long enough to take a while to format: %x", next,
                     (unsigned)next * 7919u);
            if (strcmp(line, want) == 0)
                next++;
            else if (strncmp(line, "alarm ", 6) == 0 && str_contains(line, " from the handler"))
                handler_lines++;
            else if (bad++ < 3)
                printf("printf_alarm: a torn line: '%s'\n", line);
        }
    printf("printf_alarm: %d main lines, %d handler lines, %d torn\n", next, handler_lines, bad);
    return !bad && len == 0 && handler_lines >= ALARMS && next > 0 ? 0 : 1;
}

/* Prints from DEEP down the stack until ALARMS alarms went off (the
 * handler runs only on ticks taken in user mode: how many lines that
 * takes depends on timing, and only a hang would be a failure). */
static __attribute__((noinline)) int deep(void)
{
    volatile char frame[64];
    frame[0] = 0;
    if (USYSCALL - (unsigned long)__builtin_frame_address(0) < DEEP)
        return deep() + frame[0];
    int i;
    for (i = 0; alarms < ALARMS; i++)
        fprintf(out, "main line %d, long enough to take a while to format: %x\n", i, (unsigned)i * 7919u);
    return i + frame[0];
}

int main(void)
{
    test_begin("printf_alarm");
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    out = p[1];
    int pid = spawn(reader, p[0]);
    close(p[0]);
    CHECK(sigalarm(1, tick) == 0, "sigalarm");
    int lines = deep();
    sigalarm(0, 0);
    close(p[1]);
    CHECK(wait_status(pid) == 0, "the reader found torn or missing lines");
    printf("printf_alarm: %d alarms in %d lines\n", alarms, lines);
    return test_end();
}
