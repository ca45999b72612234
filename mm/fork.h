/* Fork policies. A policy decides what the child's leaf PTEs are, one
 * level-0 table (512 entries, 2 MiB of address space) at a time; the
 * generic part (aspace_fork in mm/aspace.c) walks the upper levels and
 * builds the child's page-table pages.
 *
 * clone_l0 is called with the parent's lock held. It fills dst (a zeroed
 * table of the child) from src (the parent's), taking one reference on
 * every frame it maps, and returns 0, or -1 if memory ran out; the entries
 * already filled in stay valid so that destroying the child undoes them. */
#ifndef RVOS_MM_FORK_H
#define RVOS_MM_FORK_H
#include <stdint.h>
#include "../arch/riscv/sv39.h"

struct fork_policy {
    const char *name; /* at most 7 characters: struct memstat reports it in 8 bytes */
    int (*clone_l0)(pte_t *src, pte_t *dst, uint64_t *pages);
    /* Does the policy change the parent's PTEs (so that the parent's hart
     * must flush its TLB after the fork)? */
    int changes_parent;
};

extern const struct fork_policy fork_policy_copy; /* mm/fork_copy.c */
extern const struct fork_policy fork_policy_cow;  /* mm/fork_cow.c */
extern const struct fork_policy *fork_policy;     /* the one in force */
/* Selects a policy by name ("copy" or "cow"); returns 0 or -1 if unknown. */
int fork_policy_select(const char *name);
/* The name of the i-th policy there is, or 0 past the last: lets a caller
 * list the valid names without knowing them. */
const char *fork_policy_name(int i);
#endif
