/* statistics() (the classic lock lab's kalloctest and bcachetest read it):
 * how often the frame allocator's lock (the classic "kmem") and the buffer
 * cache's locks were taken, and how many attempts to take them failed
 * because another hart held them, in the text the classic kernel writes:
 *
 *   --- lock kmem/bcache stats
 *   lock: kmem: #test-and-set 0 #acquire() 433016
 *   lock: bcache: #test-and-set 0 #acquire() 1260
 *   tot= 0
 *   lock: bcache.evict: #test-and-set 0 #acquire() 97
 *   lock: bcache.bucket0: #test-and-set 0 #acquire() 120
 *   ...
 *
 * The tests take the number after the first '=' (the failed attempts of
 * all these locks together), so no '=' may come before it. The "bcache"
 * line sums the cache's locks: its eviction lock and one per hash bucket
 * (kernel/fs/bio.c), each listed after tot. The counts are kept by the
 * locks' owners (mm/page.c's global_lock, bio.c's lock_counted); the frame
 * allocator's per-hart caches have locks of their own that only a steal
 * from another hart ever contends. */
#include "fs/bio.h"
#include "proc.h"
#include "sysargs.h"
#include "textbuf.h"
#include "../include/rvos/allocstat.h"
#include "../mm/page.h"

/* statistics(buf, n): the text above into buf (its first min(n, 4096)
 * bytes, NUL-terminated, truncated to fit); returns the length stored
 * (without the NUL), or -1 for a bad buffer or size. A snapshot: the
 * counters are read without the locks. */
uint64_t sys_statistics(void)
{
    uint64_t ubuf = arg_raw(0);
    int n = arg_int(1);
    if (n > 4096)
        n = 4096;
    struct textbuf tb;
    if (tb_user_open(&tb, n) < 0)
        return SYSCALL_ERR;
    tb.quiet = 1;
    struct allocstat as;
    page_allocstat(&as);
    uint64_t acquires[NBUCKET + 1], spins[NBUCKET + 1], bc_acquires = 0, bc_spins = 0;
    for (int i = 0; i <= NBUCKET; i++) {
        bio_lockstat(i, &acquires[i], &spins[i]);
        bc_acquires += acquires[i];
        bc_spins += spins[i];
    }
    tb_printf(&tb, "--- lock kmem/bcache stats\n");
    tb_printf(&tb, "lock: kmem: #test-and-set %lu #acquire() %lu\n", as.lock_spins, as.lock_acquires);
    tb_printf(&tb, "lock: bcache: #test-and-set %lu #acquire() %lu\n", bc_spins, bc_acquires);
    tb_printf(&tb, "tot= %lu\n", as.lock_spins + bc_spins);
    tb_printf(&tb, "lock: bcache.evict: #test-and-set %lu #acquire() %lu\n", spins[0], acquires[0]);
    for (int i = 1; i <= NBUCKET; i++)
        tb_printf(&tb, "lock: bcache.bucket%d: #test-and-set %lu #acquire() %lu\n", i - 1, spins[i], acquires[i]);
    uint64_t len = tb.len;
    if (tb_user_close(&tb, ubuf) < 0)
        return SYSCALL_ERR;
    return len < (uint64_t)n - 1 ? len : (uint64_t)n - 1;
}
