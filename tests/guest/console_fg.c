/* Only the foreground job may take the console: a background job's
 * process gets -1 from consmode(CONS_RAW) and from JOB_FOREGROUND, and
 * cannot join the foreground job to get round it; a process of the
 * foreground job may go raw, and hand the foreground on (a shell run as a
 * command, with commands of its own); the job that handed the foreground
 * out (the shell) takes it back when the command is over, and may go raw
 * again (its prompt). A chain of holders whose processes are all gone (a
 * shell that was killed) lets the console be taken afresh. */
#include "testlib.h"

static int home; /* this program's job: it holds the console, as the shell does */

/* Takes the console in a job of its own, and exits. */
static int claim_and_exit(long unused)
{
    (void)unused;
    jobctl(JOB_JOIN, jobctl(JOB_NEW, 0));
    return jobctl(JOB_FOREGROUND, 0) == 0 ? 0 : 1;
}

/* A process of a job never made foreground (the shell's '&'). */
static int background(long fg)
{
    jobctl(JOB_JOIN, jobctl(JOB_NEW, 0));
    int raw = consmode(CONS_RAW), set = jobctl(JOB_FOREGROUND, jobctl(JOB_SELF, 0)), none = jobctl(JOB_FOREGROUND, 0);
    int join_fg = fg ? jobctl(JOB_JOIN, (int)fg) : -1, join_home = jobctl(JOB_JOIN, home);
    int raw_after = consmode(CONS_RAW);
    printf("background: raw %d, foreground %d, none %d, join fg %d, join home %d, raw after %d\n", raw, set, none,
           join_fg, join_home, raw_after);
    return raw == -1 && set == -1 && none == -1 && join_fg == -1 && join_home == -1 && raw_after == -1 ? 0 : 1;
}

/* A process of the foreground job fg: raw mode, then a job of its own
 * made foreground (a nested shell's command), then the console back. */
static int foreground(long fg)
{
    jobctl(JOB_JOIN, (int)fg);
    int raw = consmode(CONS_RAW), line = consmode(CONS_LINE);
    int inner = jobctl(JOB_NEW, 0), handed = jobctl(JOB_FOREGROUND, inner), back = jobctl(JOB_FOREGROUND, 0);
    int raw_again = consmode(CONS_RAW);
    printf("foreground: raw %d, line %d, handed on %d, back %d, raw again %d\n", raw, line, handed, back, raw_again);
    return raw == CONS_LINE && line == CONS_RAW && handed == (int)fg && back == inner && raw_again == CONS_LINE ? 0 : 1;
}

int main(void)
{
    test_begin("console_fg");
    home = jobctl(JOB_SELF, 0);
    CHECK(wait_status(spawn(claim_and_exit, 0)) == 0, "the first to ask holds the console");
    CHECK(consmode(CONS_RAW) == CONS_LINE && consmode(CONS_LINE) == CONS_RAW,
          "it is gone, and so raw mode is free again");
    CHECK(jobctl(JOB_FOREGROUND, 0) == 0, "and so is the foreground: this job holds the console now");
    CHECK(consmode(CONS_RAW) == CONS_LINE && consmode(CONS_LINE) == CONS_RAW, "its holder may go raw (the prompt)");
    CHECK(wait_status(spawn(claim_and_exit, 0)) == 1, "a job not on the chain may not take it");
    CHECK(wait_status(spawn(background, 0)) == 0, "a background job may not take the console");

    int fg = jobctl(JOB_NEW, 0);
    CHECK(jobctl(JOB_FOREGROUND, fg) == 0, "the holder hands the foreground to job %d", fg);
    CHECK(consmode(CONS_RAW) == -1, "then the holder is not the foreground: no raw mode");
    CHECK(wait_status(spawn(background, fg)) == 0, "a background job may not take it, nor join the foreground job");
    CHECK(wait_status(spawn(foreground, fg)) == 0, "the foreground job may");
    CHECK(jobctl(JOB_FOREGROUND, 0) == 0, "the holder takes the console back after the command");
    CHECK(consmode(CONS_RAW) == CONS_LINE && consmode(CONS_LINE) == CONS_RAW, "and may go raw again");
    CHECK(wait_status(spawn(background, 0)) == 0, "a background job still may not");
    CHECK(jobctl(JOB_FOREGROUND, -1) == -1, "a negative job: -1");
    return test_end();
}
