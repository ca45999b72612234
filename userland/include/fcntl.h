#include "rvos/fcntl.h"
