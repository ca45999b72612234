/* aging: an approximate LRU, with a byte of history per frame (the evict
 * lab, labs/evict/README.md). */
#include "evict.h"

static int aging_choose(uint8_t *state, int referenced, uint64_t visits, uint64_t listed)
{
    /* LAB evict BEGIN: age the frame's history byte; say 1 for a page unused for long (labs/evict/README.md) */
    *state = (uint8_t)((*state >> 1) | (referenced ? 0x80 : 0));
    if (*state == 0)
        return 1;
    /* After a whole sweep every history has shifted at least once more:
     * then settle for one whose latest pass found it unused. */
    return visits >= listed && !referenced;
    /* LAB evict STUB
    (void)state, (void)referenced, (void)visits, (void)listed;
    return 1;
       LAB evict END */
}

const struct evict_policy evict_policy_aging = {"aging", 1, aging_choose};
