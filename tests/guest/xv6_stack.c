/* stack_guard.c built the way course programs are (tests/guest/xv6_*.c get
 * RVOS_CLASSIC_STACK_PAGES, the classic kernel's 1 page): see there. */
#define STACK_GUARD_NAME "xv6_stack"
#define STACK_GUARD_PAGES RVOS_STACK_PAGES
#include "stack_guard.c"
