/* The cow lab's memory line: runs the lab's COW tests one after another
 * (each as a child, exec'd from /tests) and after each checks what they
 * no longer decide themselves when booted with test.memory=apart: every
 * frame is back and the audit is clean. Their own verdicts are graded by
 * their own entries; here only the memory counts. */
#include "testlib.h"

static char *const programs[] = {"fork_big", "cow_reuse",     "cow_copyout",   "cow_readonly", "cow_oom",
                                 "fork_oom", "cow_semantics", "cow_3_writers", "tlb_fork",     "text_write"};

int main(void)
{
    test_begin("cow_memory");
    check_fork_shares();
    for (unsigned i = 0; i < sizeof programs / sizeof programs[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/tests/%s", programs[i]);
        unsigned long before = free_frames();
        int pid = fork();
        if (pid == 0) {
            char *argv[] = {path, 0};
            exec(path, argv);
            exit(127);
        }
        int st = wait_status(pid);
        CHECK(st != 127, "could not run %s", path);
        int problems = mmaudit();
        CHECK(problems == 0, "after %s: the audit found %d problem(s)", programs[i], problems);
        CHECK(free_frames() == before, "after %s: %lu frames free, %lu before (%ld leaked)", programs[i], free_frames(),
              before, (long)(before - free_frames()));
    }
    return test_end();
}
