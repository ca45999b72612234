/* Address spaces: a root page table (whose kernel half is shared by all)
 * plus the user regions it holds. One process owns one address space.
 *
 * Locking: as->lock protects the page table and the region list. Every
 * change to a user PTE, and the refcount change that goes with it, happens
 * under the lock of the address space that holds the PTE; the audit takes
 * every address space's lock, so it always sees PTEs and counts agree.
 * Regions (mm/region.h) say what each address means; the page table
 * holds what is present. */
#ifndef RVOS_MM_ASPACE_H
#define RVOS_MM_ASPACE_H
#include <stdint.h>
#include "page.h"
#include "region.h"
#include "../arch/riscv/sv39.h"
#include "../kernel/spinlock.h"

#define PROT_R PTE_R
#define PROT_W PTE_W
#define PROT_X PTE_X

#define MAX_ASPACES 128 /* address-space objects (a fixed pool) */

struct aspace {
    struct spinlock lock;
    pte_t *root;
    struct region *regions; /* sorted by address, non-overlapping (mm/region.h) */
    int nregions;
    struct region *heap; /* the heap's region: [heap_start, PAGE_ROUND_UP(brk)) */
    uint64_t heap_start, brk;
    uint64_t mmap_top; /* mmap places mappings below this (the stack's guard page) */
    uint64_t resident; /* user pages mapped */
    pte_t *deposits;   /* level-0 tables set aside, one per superleaf (mm/superpage.h) */
    uint64_t ndeposits;
    struct aspace *next_all; /* global list, for the audit */
};

struct aspace *aspace_create(void);
/* The page-table pages as holds: its root, the user half's tables (a
 * level-0 table odf shares counts in each sharer), those set aside for
 * superpages. */
uint64_t aspace_table_pages(struct aspace *as);
void aspace_destroy(struct aspace *as);
/* Reserves the region described by *tmpl (copied; its file gets a
 * reference of its own) and fills what the allocation policy fills at
 * once. Caller holds no lock. 0, or -1 (overlap, too many regions, out of
 * memory: what was reserved stays until destroy). */
int aspace_reserve(struct aspace *as, const struct region *tmpl);
/* sbrk: grows or shrinks the heap by delta bytes; returns the old break or
 * -1 (out of memory, or the heap would meet another region; nothing
 * changes then). Growth is filled as the policy says, or only reserved
 * when lazy is set (sbrklazy). */
int64_t aspace_sbrk(struct aspace *as, int64_t delta, int lazy);
/* mmap/munmap (mm/mmap.c). aspace_mmap reserves len bytes (rounded up to
 * pages) at hint if that range is free, else below as->mmap_top; file
 * (0: anonymous) gets a reference of its own. Returns the address, or -1.
 * aspace_munmap writes dirty shared pages back, then unmaps [va, va+len)
 * from mappings (not from the heap, stack or program: -1). */
int64_t aspace_mmap(struct aspace *as, uint64_t hint, uint64_t len, uint32_t prot, int shared, void *file,
                    uint64_t off);
int aspace_munmap(struct aspace *as, uint64_t va, uint64_t len);
/* Writes back every dirty page of the shared file mappings in [va, end).
 * Caller holds no lock; sleeps. */
void aspace_writeback(struct aspace *as, uint64_t va, uint64_t end);
/* Unmaps the present pages of [va, va+npages pages) and frees the tables
 * that emptied (munmap; a shrinking heap keeps its tables: aspace_sbrk);
 * the tables under it are private (as->lock held). */
void aspace_unmap_locked(struct aspace *as, uint64_t va, uint64_t npages);
/* Fork: a new address space holding the child's view of as, built by the
 * fork policy in force. 0 when memory runs out (nothing leaks). */
struct aspace *aspace_fork(struct aspace *as);
uint64_t aspace_root_pa(struct aspace *as);

/* The one owner of "satp names a live page table" (mm/activate.c): makes
 * this hart run on as (0: the kernel table) and records it per hart. */
void aspace_activate(struct aspace *as);
void aspace_deactivate(void);
/* After a page of as was filled with instructions: fence.i on this hart
 * if it runs as (the owner of "a hart runs newly written instructions
 * only after fence.i" is mm/activate.c). */
void aspace_text_filled(struct aspace *as);
/* The id of a hart whose satp names as, or -1 if none does. */
int aspace_active_on(const struct aspace *as);
/* Maps a fresh read-only page holding *u at USYSCALL (mm/usyscall.c),
 * replacing any page there; as must not be running yet. 0 or -1. */
struct usyscall;
int aspace_map_usyscall(struct aspace *as, const struct usyscall *u);
/* Shared level-0 tables (mm/ptshare.c). Every change to a user PTE goes
 * through one of these two (caller holds as->lock):
 * aspace_pte_private returns the level-0 PTE for va in a table private to
 * as, copying a shared table first, and allocating missing tables if
 * alloc; 0 if there is none (a huge leaf, nothing mapped and !alloc) or
 * memory ran out. aspace_unshare_range does the same for every existing
 * table under [va, end); 0 or -1 (out of memory; the tables made private
 * so far stay so, which changes nothing the process can see). */
pte_t *aspace_pte_private(struct aspace *as, uint64_t va, int alloc);
/* Whether the level-0 table holding the leaf *pte may be written as it is:
 * private to its address space (as->lock held) and not write-protected
 * for sharing. Under cow and copy it always is: the fault and copyout
 * paths test this first and skip aspace_pte_private's second walk. */
static inline int pte_table_private(const pte_t *pte)
{
    const struct page *tp = pa_to_page(va_to_pa((void *)((uint64_t)pte & ~(uint64_t)(PAGE_SIZE - 1))));
    return page_refcount_acquire(tp) == 1 && !(tp->flags & PG_WRPROTECTED);
}
int aspace_unshare_range(struct aspace *as, uint64_t va, uint64_t end);
/* Drops one reference to the level-0 table a level-1 entry e points at;
 * with the last one, the frames it maps (table_free_l0) and the table. */
void table_put_l0(pte_t e);
void table_free_l0(pte_t *table);
/* Allocates a user page and marks it PG_USER; 0 when memory is short
 * (none left, or eviction holds the rest for the kernel: mm/evict.h).
 * Whoever maps it tells the evictor (evict_track). */
struct page *user_page_alloc(int zero);

/* Held while an entry of a shared level-0 table changes or the table is
 * copied: the evictor writes a shared table's entry for all its holders
 * at once (mm/evict.c), while a holder may be copying it (ptshare.c). */
extern struct spinlock ptshare_lock;
/* The list of all address spaces; the audit walks it. */
extern struct spinlock aspace_list_lock;
extern struct aspace *aspace_all;
#endif
