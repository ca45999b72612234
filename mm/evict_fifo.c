/* fifo: evict the page that was mapped longest ago, whatever its use. The
 * textbook's baseline, and the policy that shows Belady's anomaly: more
 * frames can mean more faults (docs/benchmarks.md). */
#include "evict.h"

static int fifo_choose(uint8_t *state, int referenced, uint64_t visits, uint64_t listed)
{
    (void)state, (void)referenced, (void)visits, (void)listed;
    return 1;
}

const struct evict_policy evict_policy_fifo = {"fifo", 0, fifo_choose};
