/* The classic xv6 include path "kernel/fcntl.h". */
#include "rvos/fcntl.h"
