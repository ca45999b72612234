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

/* The line table (cmake/ksyms.cmake): rows sorted by address. */
struct kline_row {
    uint32_t offset; /* from kline_base */
    uint16_t file;   /* index into kline_file_offsets */
    uint16_t line;
};
extern const uint64_t kline_count;
extern const uint64_t kline_base;
extern const struct kline_row kline_rows[];
extern const uint32_t kline_file_offsets[];
extern const char kline_files[];

const char *kline_lookup(uint64_t pc, unsigned *line)
{
    if (kline_count == 0 || pc < kline_base || pc - kline_base > UINT32_MAX)
        return 0;
    uint32_t off = (uint32_t)(pc - kline_base);
    if (off < kline_rows[0].offset)
        return 0;
    uint64_t lo = 0, hi = kline_count; /* the last row at or below pc */
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (kline_rows[mid].offset <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = kline_rows[lo].line;
    return kline_files + kline_file_offsets[kline_rows[lo].file];
}
