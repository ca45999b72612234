/* The buffer cache's locks (lab locks, part 2; kernel/fs/bio.c), read
 * through statistics() (kernel/lockstat.c), on a raw scratch disk that
 * nothing else uses. What the classic lab's bcachetest wants is that
 * processes reading different cached blocks at once hardly ever wait for
 * each other. How often a test-and-set fails depends on timing, so this
 * test checks what makes it rare instead, with counts that do not:
 *
 *   - NPROCS processes re-read their own cached blocks on all harts: none
 *     of those reads misses, and none takes the cache-wide (eviction)
 *     lock, which only a miss needs;
 *   - the hits took bucket locks, and the blocks' buckets share them out:
 *     no one lock took more than a quarter of the acquisitions (with one
 *     lock for the whole cache, it takes all of them);
 *   - the "lock: bcache:" line is the sum of the cache's locks, and tot
 *     (the first '=') the sum of the failed test-and-sets.
 *
 * It prints the failed test-and-sets during the reads (what bcachetest
 * compares with 500) as a figure, not a verdict. */
#include "testlib.h"

#define BASE 300 /* the first block read */
#define NPROCS 3
#define PER_PROC 10 /* blocks each reads: NPROCS * PER_PROC fit the cache */
#define ROUNDS 300
#define NLOCKS 32 /* room for the eviction lock and the buckets */

static char text[4096];
static unsigned char blockbuf[DISK_BSIZE];

struct locks {
    unsigned long tot, cache_spins, cache_acquires;
    unsigned long evict_spins, evict_acquires;
    int nbuckets;
    unsigned long bucket_acquires[NLOCKS], bucket_spins[NLOCKS];
};

/* The numbers after "#test-and-set " and "#acquire() " on a line that
 * starts with head; 0 if there is none. */
static int lock_line(const char *head, unsigned long *spins, unsigned long *acquires)
{
    int n = (int)strlen(head);
    for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        if (strncmp(p, head, n) != 0)
            continue;
        const char *s = p + n;
        if (strncmp(s, "#test-and-set ", 14) != 0)
            return 0;
        *spins = atoi(s + 14);
        const char *a = strchr(s, '#');
        a = a ? strchr(a + 1, '#') : 0;
        if (!a || strncmp(a, "#acquire() ", 11) != 0)
            return 0;
        *acquires = atoi(a + 11);
        return 1;
    }
    return 0;
}

static int read_locks(struct locks *l)
{
    memset(l, 0, sizeof *l);
    if (statistics(text, sizeof text) <= 0)
        return 0;
    const char *eq = strchr(text, '=');
    if (!eq || strncmp(eq - 3, "tot= ", 5) != 0)
        return 0;
    l->tot = atoi(eq + 2);
    if (!lock_line("lock: bcache: ", &l->cache_spins, &l->cache_acquires) ||
        !lock_line("lock: bcache.evict: ", &l->evict_spins, &l->evict_acquires))
        return 0;
    char head[40];
    for (l->nbuckets = 0; l->nbuckets < NLOCKS; l->nbuckets++) {
        snprintf(head, sizeof head, "lock: bcache.bucket%d: ", l->nbuckets);
        if (!lock_line(head, &l->bucket_spins[l->nbuckets], &l->bucket_acquires[l->nbuckets]))
            break;
    }
    return 1;
}

static int reader(long k)
{
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < PER_PROC; i++)
            if (disk(DISK_READ, BASE + k * PER_PROC + i, blockbuf) != 0)
                return 1;
    return 0;
}

int main(void)
{
    test_begin("bcache_locks");
    struct diskstat st0, st1;
    struct locks a, b;
    CHECK(disk(DISK_STAT, 0, &st0) == 0 && st0.present, "no scratch disk");
    CHECK(NPROCS * PER_PROC < (int)st0.nbuf, "%d blocks do not fit %lu buffers", NPROCS * PER_PROC, st0.nbuf);
    for (int i = 0; i < NPROCS * PER_PROC; i++) /* now cached */
        CHECK(disk(DISK_READ, BASE + i, blockbuf) == 0, "reading block %d", BASE + i);
    CHECK(read_locks(&a), "statistics() has no tot, bcache or bcache.evict line: '%s'", text);
    CHECK(a.nbuckets > 1, "%d bcache.bucketN lines: '%s'", a.nbuckets, text);

    disk(DISK_STAT, 0, &st0);
    int pids[NPROCS];
    for (int k = 0; k < NPROCS; k++)
        pids[k] = spawn(reader, k);
    for (int k = 0; k < NPROCS; k++)
        CHECK(wait_status(pids[k]) == 0, "reader %d failed", k);
    disk(DISK_STAT, 0, &st1);
    CHECK(read_locks(&b), "statistics() again: '%s'", text);
    unsigned long hits = st1.hits - st0.hits;
    CHECK(hits == NPROCS * PER_PROC * ROUNDS, "%lu hits, not %d", hits, NPROCS * PER_PROC * ROUNDS);
    CHECK(st1.misses == st0.misses, "%lu misses re-reading cached blocks", st1.misses - st0.misses);
    CHECK(b.evict_acquires == a.evict_acquires, "hits took the eviction lock %lu times",
          b.evict_acquires - a.evict_acquires);

    unsigned long total = 0, most = 0, spins = 0, sum_spins = b.evict_spins, sum_acq = b.evict_acquires;
    int busiest = 0;
    for (int i = 0; i < b.nbuckets; i++) {
        unsigned long d = b.bucket_acquires[i] - a.bucket_acquires[i];
        total += d;
        spins += b.bucket_spins[i] - a.bucket_spins[i];
        sum_spins += b.bucket_spins[i];
        sum_acq += b.bucket_acquires[i];
        if (d > most)
            most = d, busiest = i;
    }
    CHECK(total >= 2 * hits, "%lu bucket-lock acquisitions for %lu hits (a lookup and a release each)", total, hits);
    CHECK(most * 4 <= total, "bucket %d's lock took %lu of the %lu acquisitions", busiest, most, total);
    CHECK(b.cache_spins == sum_spins && b.cache_acquires == sum_acq,
          "the bcache line (%lu, %lu) is not the sum of its locks' (%lu, %lu)", b.cache_spins, b.cache_acquires,
          sum_spins, sum_acq);
    unsigned long kspins, kacq;
    CHECK(lock_line("lock: kmem: ", &kspins, &kacq) && b.tot == kspins + b.cache_spins,
          "tot %lu is not kmem's and bcache's test-and-sets", b.tot);
    printf("bcache_locks: %lu hits by %d readers on all harts: %lu bucket-lock acquisitions, %lu failed "
           "test-and-sets (bcachetest allows 500), busiest lock %lu%%\n",
           hits, NPROCS, total, spins, total ? most * 100 / total : 0);
    return test_end();
}
