/* Fork policies. A policy decides what the child's leaf PTEs are, one
 * level-0 table (512 entries, 2 MiB of address space) at a time; the
 * generic part (aspace_fork in mm/aspace.c) walks the upper levels and
 * builds the child's page-table pages.
 *
 * clone_l0 is called with the parent's lock held. It fills dst (a zeroed
 * table of the child) from src (the parent's table that maps the 2 MiB
 * from va on), taking one reference on every frame it maps and adding one
 * to fc->pages per leaf, and returns 0, or -1 if memory ran out; the
 * entries already filled in stay valid so that destroying the child
 * undoes them. A policy that changes a PTE of the parent sets
 * fc->parent_changed: the parent's hart then flushes its TLB before the
 * parent runs again. That is decided per fork, by what really changed: a
 * fork that took W from no page needs no flush. */
#ifndef RVOS_MM_FORK_H
#define RVOS_MM_FORK_H
#include <stdint.h>
#include "../arch/riscv/sv39.h"
#include "../include/rvos/memstat.h" /* FORK_SHARES_ALL, FORK_COPIES_ALL */
#include "page.h"                    /* SUPER_BATCH */

struct aspace;

/* One fork, as a policy sees it. */
struct fork_ctx {
    struct aspace *parent, *child; /* parent->lock is held */
    uint64_t pages;                /* leaves mapped into the child so far: its resident count */
    int parent_changed;            /* set by the policy when it changed a parent PTE */
    /* Superpages' runs of frames taken ahead for clone_super (a batch
     * costs one pass over the free lists); the fork gives back those left. */
    struct page *runs[SUPER_BATCH];
    int nruns;
};

struct fork_policy {
    const char *name; /* at most 7 characters: struct memstat reports it in 8 bytes */
    int (*clone_l0)(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va);
    /* Optional (0: always clone_l0). Called before clone_l0 for each
     * level-0 table: returns 1 if the child is to point at the parent's
     * table src itself (the policy took one reference on the table and
     * added the table's leaves to fc->pages), 0 to have clone_l0 fill a
     * table of the child's own. A shared table is never written while
     * shared: whoever needs to change one of its entries copies it first
     * (aspace_pte_private). */
    int (*share_l0)(struct fork_ctx *fc, pte_t *src, uint64_t va);
    /* What the policy promises about every fork (FORK_SHARES_ALL,
     * FORK_COPIES_ALL, or 0 for a policy that decides case by case):
     * memstat reports it, and the tests expect by it, not by the name. */
    unsigned long promises;
    /* Optional (0: always decline). For a superpage of the parent, the
     * level-1 leaf *src (mm/superpage.h): fills the child's level-1 entry
     * *dst, taking a reference on each of the 512 frames it maps and
     * adding them to fc->pages, and returns 1; returns 0 to decline (the
     * parent's leaf is then split into a table, which share_l0 or
     * clone_l0 get as any other), or -1 if memory ran out. */
    int (*clone_super)(struct fork_ctx *fc, pte_t *src, pte_t *dst, uint64_t va);
};

/* Lets the parent's lock go for a moment during a long fork, so that
 * interrupts are taken (mm/aspace.c); for policies whose clone_l0 is long. */
void fork_let_interrupts_in(struct fork_ctx *fc);

extern const struct fork_policy fork_policy_copy; /* mm/fork_copy.c */
extern const struct fork_policy fork_policy_cow;  /* mm/fork_cow.c */
extern const struct fork_policy fork_policy_odf;  /* mm/fork_odf.c */
extern const struct fork_policy *fork_policy;     /* the one in force */
/* Selects a policy by name ("copy", "cow" or "odf"); returns 0 or -1 if unknown. */
int fork_policy_select(const char *name);
/* The name of the i-th policy there is, or 0 past the last: lets a caller
 * list the valid names without knowing them. */
const char *fork_policy_name(int i);
#endif
