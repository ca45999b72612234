/* nop: the tiny program microbench execs (fork + exec + wait). It exits
 * at once: what it costs is exec's and exit's work, not its own. */
#include "user.h"

int main(void) { return 0; }
