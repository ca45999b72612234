/* The classic xv6 include path "kernel/fs.h": DIRSIZ and struct dirent. */
#include "rvos/fs.h"
