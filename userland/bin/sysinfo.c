/* sysinfo: prints what the sysinfo system call reports (lab syscall). */
#include "user.h"
#include "rvos/sysinfo.h"

int main(void)
{
    struct sysinfo si;
    if (sysinfo(&si) < 0) {
        fprintf(2, "sysinfo: the system call failed\n");
        exit(1);
    }
    printf("free memory: %lu bytes (%lu KiB)\nprocesses: %lu\n", si.freemem, si.freemem / 1024, si.nproc);
    return 0;
}
