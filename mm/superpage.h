/* Superpages: one level-1 leaf (a 2 MiB "megapage", privileged spec
 * 4.4.1) maps SUPER_FRAMES frames in a row instead of a level-0 table of
 * 512 PTEs: one TLB entry instead of 512, no table to allocate or walk.
 *
 * Only large anonymous private memory gets them: an aligned 2 MiB that a
 * writable anonymous region (the heap) covers whole, filled at once
 * (eager allocation: sbrk, vm_populate) while a run of free frames is to
 * be had. The lazy policy fills page by page, so it never makes one.
 *
 * The frames stay ordinary frames: each has its own struct page and
 * count, and a superleaf holds one reference on each of its 512 (it
 * counts 512 in resident). A superpage is therefore only a way of
 * mapping. Each superleaf has a level-0 table set aside (its deposit),
 * so splitting one (superpage_split) allocates nothing, cannot fail and
 * changes no count: the leaf becomes that table, 512 PTEs with the same
 * frames and flags. Free memory reads the same with superpages on or off
 * (sysinfo, the classic tests that count free pages). Everything that needs a single page splits first:
 *   - unmapping part of one (munmap, a shrinking sbrk): the edges split,
 *     the superpages covered whole go at once;
 *   - a store to a COW superpage (fault or copyout): the leaf splits, then
 *     the 4 KiB COW fault breaks that one page;
 *   - eviction (mm/evict.c): the evictor splits the leaf of every address
 *     space that maps the chosen frame.
 * Fork hands a superleaf to the policy (fork_policy.clone_super): copy
 * gives the child a superpage of its own (a copy), cow shares it
 * copy-on-write as it shares a page (one leaf in each, a reference more
 * on each frame). A policy may decline: the parent's leaf is then split
 * and forked as a table. odf declines, so that its forks keep costing per
 * table (the split table is shared from then on); so does the cow lab's
 * handout until the lab is done. Exit drops the 512 frames.
 *
 * mm.superpages=off (boot) makes none: a course compares the two. */
#ifndef RVOS_MM_SUPERPAGE_H
#define RVOS_MM_SUPERPAGE_H
#include <stdint.h>
#include "page.h"
#include "../arch/riscv/sv39.h"

struct aspace;
struct region;

extern int superpages_on; /* mm.superpages=on (the default) or off */
/* Boot: reads mm.superpages=; 0, or -1 for a value that is neither. */
int superpage_select(const char *value);

/* The superleaf that maps va in as, or 0 (as->lock held). */
pte_t *superpage_leaf(struct aspace *as, uint64_t va);
static inline int pte_is_super(pte_t e) { return pte_is_leaf(e); } /* for a level-1 entry */

/* Maps [va, end) of region r with fresh zeroed superpages from va (2 MiB
 * aligned) on, as far as r may have them (a 2 MiB block that r covers
 * whole and whose level-1 entry is empty) and runs of frames are free.
 * Returns the bytes mapped from va (a multiple of 2 MiB; 0: fill it page
 * by page). as->lock held. */
uint64_t superpage_fill(struct aspace *as, struct region *r, uint64_t va, uint64_t end);

/* Splits the superleaf *e of as, which maps the 2 MiB at va (rounded
 * down), into a level-0 table: same frames, same flags, same counts. The
 * table is the one set aside for the leaf, so this allocates nothing.
 * as->lock held. */
void superpage_split(struct aspace *as, pte_t *e, uint64_t va);

/* Splits the superleaves that [va, end) covers only in part (at most the
 * two at its edges): before unmapping the range. */
void superpage_split_edges(struct aspace *as, uint64_t va, uint64_t end);

/* Unmaps superleaf *e of as: drops its references to its frames, clears
 * it, counts resident and frees the table set aside for it. */
void superpage_drop(struct aspace *as, pte_t *e);

/* Fork: the child maps superleaf e too (a reference more on each frame,
 * a table set aside in the child). 0, or -1 when memory ran out (nothing
 * changed). */
int superpage_share(struct aspace *child, pte_t e);

/* Sets a table aside in as for a superleaf it is about to map: 0 or -1. */
int superpage_deposit(struct aspace *as);
/* Frees the tables set aside in as (teardown, after the leaves went). */
void superpage_deposits_free(struct aspace *as);

/* Up to `want` runs of frames for superpages (page_alloc_supers), as many
 * as eviction's limits allow with a table set aside for each. */
int superpage_runs(struct page **runs, int want, int zero);
/* A run was just mapped at va of as by a superleaf (as->lock held): its
 * frames become user frames and join the eviction list. */
void superpage_mapped(struct aspace *as, uint64_t va, struct page *run);

/* Gives back a run from page_alloc_supers that nothing maps. */
void superpage_free_run(struct page *run);

/* The struct page of the first frame of superleaf e. */
static inline struct page *superpage_first(pte_t e) { return pa_to_page(pte_to_pa(e)); }
#endif
