/* ln old new: gives the file old a second name, new (a hard link).
 * ln -s target new: makes new a symbolic link to target. */
#include "user.h"

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "-s") == 0) {
        if (symlink(argv[2], argv[3]) < 0) {
            fprintf(2, "ln: cannot make %s a symbolic link to %s\n", argv[3], argv[2]);
            exit(1);
        }
        return 0;
    }
    if (argc != 3) {
        fprintf(2, "usage: ln old new | ln -s target new\n");
        exit(1);
    }
    if (link(argv[1], argv[2]) < 0) {
        fprintf(2, "ln: cannot link %s to %s\n", argv[1], argv[2]);
        exit(1);
    }
    return 0;
}
