/* ELF-64 (System V gABI) as far as exec needs it. */
#ifndef RVOS_KERNEL_ELF_H
#define RVOS_KERNEL_ELF_H
#include <stdint.h>

#define ELF_MAGIC 0x464C457FU /* "\x7FELF" little-endian */
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_RISCV 243
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf64_ehdr {
    uint32_t magic;
    uint8_t ident_class, ident_data, ident_version, ident_osabi;
    uint8_t ident_pad[8];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* A note: this header, then the name (namesz bytes) and the descriptor
 * (descsz bytes), each padded to 4 bytes (gABI, "Note Section"). */
struct elf64_nhdr {
    uint32_t namesz, descsz, type;
};
#endif
