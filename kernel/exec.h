#ifndef RVOS_KERNEL_EXEC_H
#define RVOS_KERNEL_EXEC_H
#include "../include/rvos/param.h" /* MAXARG */
#define MAXARGLEN 256
/* Replaces the current process's image with the ELF file at path; argv are
 * kernel strings. Returns argc (the a0 the new image starts with) or -1,
 * in which case the old image is untouched. */
int kexec(const char *path, const char **argv, int argc);
#endif
