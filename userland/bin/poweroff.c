/* poweroff: turns the machine off. Only init may (or any process on a
 * kernel booted with testmode); anyone else asks init, through the control
 * pipe the interactive init leaves open as INIT_CTL_FD (user.h). */
#include "user.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(2, "usage: poweroff\n");
        exit(1);
    }
    poweroff(0); /* returns only if this process may not */
    if (write(INIT_CTL_FD, "p", 1) != 1) {
        fprintf(2, "poweroff: not allowed, and no init listening on fd %d to ask\n", INIT_CTL_FD);
        exit(1);
    }
    exit(0);
}
