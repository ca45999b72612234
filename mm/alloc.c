#include "alloc.h"
#include "../kernel/string.h"

const struct alloc_policy *alloc_policy = &alloc_policy_eager;

static const struct alloc_policy *const all[] = {&alloc_policy_eager, &alloc_policy_lazy};

int alloc_policy_select(const char *name)
{
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i]->name, name) == 0) {
            alloc_policy = all[i];
            return 0;
        }
    return -1;
}

const char *alloc_policy_name(int i) { return i >= 0 && i < (int)(sizeof all / sizeof all[0]) ? all[i]->name : 0; }
