/* The classic xv6 include path "kernel/stat.h". */
#include "rvos/stat.h"
