/* The symbol table of the first link: empty. See cmake/ksyms.cmake. */
    .section .ksyms, "a"
    .balign 8
    .globl ksym_count, ksym_addrs, ksym_name_offsets, ksym_names
ksym_count:
    .dword 0
ksym_addrs:
ksym_name_offsets:
ksym_names:
    .byte 0
    .balign 8
    .globl kline_count, kline_base, kline_rows, kline_file_offsets, kline_files
kline_count:
    .dword 0
kline_base:
    .dword 0
kline_rows:
kline_file_offsets:
kline_files:
    .byte 0
