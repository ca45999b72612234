/* The classic xv6 include path "user/user.h". */
#include "../user.h"
