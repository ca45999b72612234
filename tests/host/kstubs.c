/* See kstubs.h. Only what the linker asks for lives here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/panic.h"
#include "kernel/spinlock.h"
#include "kstubs.h"

struct kstub_lock_stats kstub_locks;
jmp_buf *kstub_panic_jmp;
char kstub_panic_msg[512];
int kstub_panic_count;

void kstub_reset_locks(void) { memset(&kstub_locks, 0, sizeof kstub_locks); }

void spin_init(struct spinlock *lk, const char *name)
{
    lk->locked = 0;
    lk->name = name;
    lk->owner = 0;
}

void spin_lock(struct spinlock *lk)
{
    kstub_locks.acquires++;
    if (lk->locked) {
        /* One thread, so the lock is held by the caller itself. */
        kstub_locks.recursive++;
        fprintf(stderr, "kstubs: recursive acquire of lock \"%s\"\n", lk->name ? lk->name : "?");
    } else {
        kstub_locks.held++;
    }
    lk->locked = 1;
}

int kstub_hart;
int cpu_index(void) { return kstub_hart; }

int spin_trylock(struct spinlock *lk)
{
    if (lk->locked)
        return 0; /* one thread: held by the caller, which a real hart would panic on */
    kstub_locks.acquires++;
    kstub_locks.held++;
    lk->locked = 1;
    return 1;
}

void spin_unlock(struct spinlock *lk)
{
    kstub_locks.releases++;
    if (!lk->locked) {
        kstub_locks.unheld++;
        fprintf(stderr, "kstubs: release of unheld lock \"%s\"\n", lk->name ? lk->name : "?");
        return;
    }
    kstub_locks.held--;
    lk->locked = 0;
}

int spin_holding(struct spinlock *lk) { return lk->locked != 0; }

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(kstub_panic_msg, sizeof kstub_panic_msg, fmt, ap);
    va_end(ap);
    kstub_panic_count++;
    if (kstub_panic_jmp) {
        jmp_buf *j = kstub_panic_jmp;
        kstub_panic_jmp = 0; /* one catch per arming: a second panic aborts */
        longjmp(*j, 1);
    }
    fprintf(stderr, "panic: %s\n", kstub_panic_msg);
    abort();
}

/* mm/evict.c is not linked into the host tests: no frame there is ever
 * put on the eviction list (PG_LRU), so page_put never calls this. */
struct page;
void evict_forget(struct page *pg)
{
    (void)pg;
    fprintf(stderr, "evict_forget called in a host test: a frame had PG_LRU\n");
    abort();
}
