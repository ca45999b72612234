/* aging: an approximate LRU. Each frame keeps a byte of history; every
 * time the hand passes, it shifts right and the A bit enters at the top,
 * so the byte read as a number orders pages by how recently (and how
 * often, over the last 8 passes) they were used. A page with an empty
 * history goes at once; when a long search finds none (the working set
 * is all in use), the hand takes the first page whose history is no
 * more than the smallest it has seen. */
#include "evict.h"

static int aging_choose(uint8_t *state, int referenced, uint64_t visits, uint64_t listed)
{
    *state = (uint8_t)((*state >> 1) | (referenced ? 0x80 : 0));
    if (*state == 0)
        return 1;
    /* After a whole sweep every history has shifted at least once more:
     * then settle for one whose latest pass found it unused. */
    return visits >= listed && !referenced;
}

const struct evict_policy evict_policy_aging = {"aging", 1, aging_choose};
