#include "fork.h"
#include "../kernel/string.h"

const struct fork_policy *fork_policy = &fork_policy_cow;

static const struct fork_policy *const all[] = {&fork_policy_cow, &fork_policy_copy, &fork_policy_odf};

int fork_policy_select(const char *name)
{
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i]->name, name) == 0) {
            fork_policy = all[i];
            return 0;
        }
    return -1;
}

const char *fork_policy_name(int i) { return i >= 0 && i < (int)(sizeof all / sizeof all[0]) ? all[i]->name : 0; }
