#include "fork.h"
#include "policy.h"

const struct fork_policy *fork_policy = &fork_policy_cow;

static const struct fork_policy *const all[] = {&fork_policy_cow, &fork_policy_copy, &fork_policy_odf};

int fork_policy_select(const char *name)
{
    const struct fork_policy *p = policy_lookup((const void *const *)all, POLICY_COUNT(all), name);
    if (!p)
        return -1;
    fork_policy = p;
    return 0;
}

const char *fork_policy_name(int i) { return policy_name_at((const void *const *)all, POLICY_COUNT(all), i); }
