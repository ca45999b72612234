/* Ctrl-P and Ctrl-C take effect however much input is queued
 * (tests/guest/console_full.session types the keys). A child in the
 * foreground job takes the console into raw mode and stops reading; 700
 * bytes are typed, more than the 512-byte input buffer holds; then ^P must
 * list the processes and ^C must kill the child. (The UART's receive
 * interrupt used to be switched off once the buffer was full, leaving ^C
 * and ^P stuck behind the bytes nobody read.) */
#include "testlib.h"

int main(void)
{
    test_begin("console_full");
    int job = jobctl(JOB_NEW, 0);
    int pid = fork();
    if (pid == 0) {
        jobctl(JOB_JOIN, job);
        consmode(CONS_RAW);
        printf("console_full: not reading\n");
        for (;;)
            sleep(100);
    }
    jobctl(JOB_FOREGROUND, job);
    int status = wait_status(pid);
    jobctl(JOB_FOREGROUND, 0);
    CHECK(status == STATUS_INTERRUPTED, "^C after a full buffer killed the reader-less job: status %d", status);
    return test_end();
}
