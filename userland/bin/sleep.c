/* sleep TICKS: pauses for TICKS clock ticks (lab util). Without exactly
 * one argument, or with one that is not a number, it says how to use it
 * and exits with status 1. */
#include "user.h"

int main(int argc, char **argv)
{
    /* LAB util BEGIN: check for one numeric argument, then pause for that many ticks */
    if (argc != 2 || argv[1][0] < '0' || argv[1][0] > '9') {
        fprintf(2, "usage: sleep ticks\n");
        exit(1);
    }
    exit(pause(atoi(argv[1])) < 0 ? 1 : 0);
    /* LAB util STUB
    (void)argc, (void)argv;
    fprintf(2, "sleep: not written yet\n");
    exit(1);
       LAB util END */
}
