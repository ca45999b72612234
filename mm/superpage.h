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
 * mapping, and splitting one (superpage_split) costs a table and changes
 * no count: the leaf becomes a level-0 table of 512 PTEs with the same
 * frames and flags. Everything that needs a single page splits first:
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

/* Maps the 2 MiB at va (aligned) of region r with a fresh zeroed
 * superpage if r may have one there and a run of frames is free: 1, or 0
 * (nothing changed: fill it page by page). The level-1 entry must be
 * empty. as->lock held. */
int superpage_fill(struct aspace *as, struct region *r, uint64_t va);

/* Splits the superleaf *e of as, which maps the 2 MiB at va (rounded
 * down), into a level-0 table: same frames, same flags, same counts.
 * as->lock held. 0, or -1 when no table could be had (nothing changed). */
int superpage_split(struct aspace *as, pte_t *e, uint64_t va);

/* Splits the superleaves that [va, end) covers only in part (at most the
 * two at its edges): before unmapping the range. 0 or -1 (out of
 * memory: what was split stays so, which changes nothing visible). */
int superpage_split_edges(struct aspace *as, uint64_t va, uint64_t end);

/* Drops the references of superleaf e to its frames (unmap, exit); the
 * caller clears the entry and counts resident. */
void superpage_put(pte_t e);

/* Takes one more reference on each frame of superleaf e (fork). */
void superpage_get(pte_t e);

/* The struct page of the first frame of superleaf e. */
static inline struct page *superpage_first(pte_t e) { return pa_to_page(pte_to_pa(e)); }
#endif
