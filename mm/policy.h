/* Looking up a policy by name, for each pluggable part (the memory
 * manager's fork, allocation and eviction axes, and the scheduler):
 * every policy struct starts with its name. */
#ifndef RVOS_MM_POLICY_H
#define RVOS_MM_POLICY_H
#include "../kernel/string.h"

struct named_policy {
    const char *name;
};

/* The policy of all[0..n) called name, or 0. */
static inline const void *policy_lookup(const void *const *all, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(((const struct named_policy *)all[i])->name, name) == 0)
            return all[i];
    return 0;
}

/* The i-th policy's name, 0 past the last. */
static inline const char *policy_name_at(const void *const *all, unsigned n, int i)
{
    return i >= 0 && i < (int)n ? ((const struct named_policy *)all[i])->name : 0;
}
#define POLICY_COUNT(all) ((unsigned)(sizeof all / sizeof all[0]))
#endif
