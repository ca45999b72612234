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
