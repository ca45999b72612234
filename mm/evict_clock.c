/* clock (second chance): the hand passes over the frames in the order
 * they were mapped; a page referenced since the hand last passed (any of
 * its PTEs has A; the evictor clears them) keeps its frame once more. */
#include "evict.h"

static int clock_choose(uint8_t *state, int referenced, uint64_t visits, uint64_t listed)
{
    (void)state, (void)visits, (void)listed;
    return !referenced;
}

const struct evict_policy evict_policy_clock = {"clock", 1, clock_choose};
