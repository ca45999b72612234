/* Allocation policies: when a reserved page gets its frame. The second
 * pluggable axis of the memory manager (the first is the fork policy,
 * mm/fork.h), chosen at boot with mm.alloc= and reported by memstat.
 *
 *   eager   exec reads every page of the program and maps the whole
 *           stack, sbrk maps what it grows by, at once: a page fault
 *           only ever means COW or a bad access (the classic kernel).
 *   lazy    exec, sbrk and the stack only reserve (regions); a page is
 *           filled on the first access to it (vm_fault): zeroed, or read
 *           from the program's file. The stack may grow down to
 *           RVOS_STACK_PAGES_MAX pages (unless the program asked for
 *           fewer than the default: course programs' one page).
 *
 * mmap is lazy under both (its pages are filled on first touch), and
 * sbrklazy() reserves only, whatever the policy. */
#ifndef RVOS_MM_ALLOC_H
#define RVOS_MM_ALLOC_H
#include <stdint.h>

struct aspace;
struct region;

struct alloc_policy {
    const char *name; /* at most 7 characters (struct memstat) */
    /* Called when [start, end) of region r was just reserved (exec's
     * segments and stack, sbrk growth). Fills what the policy fills now:
     * 0, or -1 when memory ran out (the caller undoes the reservation).
     * Caller holds no lock: filling from a file sleeps. */
    int (*reserved)(struct aspace *as, struct region *r, uint64_t start, uint64_t end);
    /* How many stack pages exec reserves for a program that asked for
     * `asked` (its stack note, or RVOS_STACK_PAGES_DEFAULT). */
    uint32_t (*stack_pages)(uint32_t asked);
};

extern const struct alloc_policy alloc_policy_eager; /* mm/alloc_eager.c */
extern const struct alloc_policy alloc_policy_lazy;  /* mm/alloc_lazy.c */
extern const struct alloc_policy *alloc_policy;      /* the one in force */
int alloc_policy_select(const char *name);           /* 0, or -1 if unknown */
const char *alloc_policy_name(int i);                /* the i-th, 0 past the last */
#endif
