#include "alloc.h"
#include "policy.h"

const struct alloc_policy *alloc_policy = &alloc_policy_eager;

static const struct alloc_policy *const all[] = {&alloc_policy_eager, &alloc_policy_lazy};

int alloc_policy_select(const char *name)
{
    const struct alloc_policy *p = policy_lookup((const void *const *)all, POLICY_COUNT(all), name);
    if (!p)
        return -1;
    alloc_policy = p;
    return 0;
}

const char *alloc_policy_name(int i) { return policy_name_at((const void *const *)all, POLICY_COUNT(all), i); }
