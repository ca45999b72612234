/* Lab traps: the classic lab's bttest. sleep (pause) prints the kernel
 * backtrace of the system call; the frames themselves are checked on the
 * console by tests.cmake (traps_sleep_bt): sys_pause, called from
 * syscall_dispatch, called from user_trap. */
#include "testlib.h"

int main(void)
{
    test_begin("traps_sleep");
    CHECK(sleep(1) == 0, "sleep(1)");
    return test_end();
}
