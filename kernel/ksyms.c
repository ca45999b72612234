#include "ksyms.h"

/* Provided by the generated ksyms.S, or kernel/ksyms_empty.S in the first link. The
 * addresses are sorted; names are offsets into ksym_names. */
extern const uint64_t ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_name_offsets[];
extern const char ksym_names[];

const char *ksym_lookup(uint64_t pc, uint64_t *offset)
{
    if (ksym_count == 0 || pc < ksym_addrs[0])
        return 0;
    uint64_t lo = 0, hi = ksym_count; /* find the last address <= pc */
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (ksym_addrs[mid] <= pc)
            lo = mid;
        else
            hi = mid;
    }
    *offset = pc - ksym_addrs[lo];
    return ksym_names + ksym_name_offsets[lo];
}
