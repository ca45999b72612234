#include "rvos/stat.h"
