/* The eviction lab's fault-count target (labs/evict): a hot set of pages
 * used all the time, and a cold scan that walks through far more pages
 * than memory holds, each touched once per lap. A policy that looks at
 * the A bits (clock, aging) keeps the hot set and faults only on the
 * scan; fifo evicts hot pages as readily as cold ones and faults on both.
 *
 * Booted with mm.frames=64, one hart and a swap disk. Every step touches
 * the HOT hot pages (each checked, then rewritten) and the next STEP
 * pages of the scan (written); after STEPS steps every page is checked
 * once more. The fault count (memstat page_faults around the steps)
 * depends only on the reference string and the policy: the same on any
 * host, under any load. The target is met with a wide margin by the
 * reference aging policy and missed by fifo (see labs/evict/README.md
 * for the figures). The audit (test_end) then checks every swap slot.
 *
 * The optional argument is another fault target (for trying others). */
#include "testlib.h"

#define PAGE 4096L
#define FRAMES 64L /* mm.frames */
#define HOT 40L
#define COLD 256L
#define STEP 8L
#define STEPS 48L
#define TARGET 540L

static long value(long page, long pass) { return page * 7919L + pass * 104729L + 1; }

static long *word(char *area, long page) { return (long *)(area + page * PAGE); }

int main(int argc, char **argv)
{
    test_begin("evict_hotcold");
    long target = argc > 1 ? atoi(argv[1]) : TARGET;
    struct memstat m0 = memstat_now();
    CHECK(m0.evict_active && m0.frames_cap == FRAMES, "boot with mm.frames=%ld and a swap disk (cap %lu, active %lu)",
          FRAMES, m0.frames_cap, m0.evict_active);
    if (test_failures)
        return test_end();
    char *area = sbrklazy((int)((HOT + COLD) * PAGE));
    CHECK(area != SBRK_ERROR, "sbrklazy failed");
    if (area == SBRK_ERROR)
        return test_end();

    /* The hot pages hold the step that last wrote them; a cold page the
     * lap that last wrote it (cold pages start at page HOT). */
    long lost = 0, next = 0;
    m0 = memstat_now();
    for (long s = 0; s < STEPS; s++) {
        for (long h = 0; h < HOT; h++) {
            lost += s > 0 && *word(area, h) != value(h, s - 1);
            *word(area, h) = value(h, s);
        }
        for (long k = 0; k < STEP; k++, next++)
            *word(area, HOT + next % COLD) = value(HOT + next % COLD, next / COLD);
    }
    struct memstat m1 = memstat_now();
    for (long h = 0; h < HOT; h++)
        lost += *word(area, h) != value(h, STEPS - 1);
    for (long c = 0; c < COLD && c < next; c++) {
        long lap = (next - 1 - c) / COLD; /* the last lap that wrote page HOT + c */
        lost += *word(area, HOT + c) != value(HOT + c, lap);
    }
    CHECK(lost == 0, "%ld pages came back with the wrong bytes", lost);

    long faults = (long)(m1.page_faults - m0.page_faults), evictions = (long)(m1.evictions - m0.evictions);
    long scans = (long)(m1.evict_scans - m0.evict_scans);
    printf("evict_hotcold: policy %s: %ld accesses, %ld faults (target <= %ld, at least %ld), %ld evictions, %ld "
           "scans, %lu swap-ins\n",
           m0.evict_policy, STEPS * (HOT + STEP), faults, target, HOT + STEPS * STEP, evictions, scans,
           m1.swap_ins - m0.swap_ins);
    CHECK(faults <= target, "%ld page faults: the target is %ld (fifo takes 1,042, second chance 602)", faults, target);
    /* The evictor takes the head anyway after 2 * listed + 1 visits; a
     * policy that leaves every choice to that rule costs 2 * listed + 3
     * scans per eviction. */
    CHECK(scans < evictions * (2 * FRAMES + 3), "%ld scans for %ld evictions: the policy never chose by itself", scans,
          evictions);
    sbrk((int)(-(HOT + COLD) * PAGE));
    return test_end();
}
