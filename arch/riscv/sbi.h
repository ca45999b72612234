/* Calls into OpenSBI (RISC-V SBI specification v1.0+). */
#ifndef RVOS_ARCH_SBI_H
#define RVOS_ARCH_SBI_H
#include <stdint.h>

struct sbiret {
    long error;
    long value;
};

#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2, long a3);
void sbi_set_timer(uint64_t when);
void sbi_send_ipi(uint64_t hart_mask, uint64_t hart_base);
void sbi_remote_sfence_vma(uint64_t hart_mask, uint64_t hart_base, uint64_t start, uint64_t size);
long sbi_hart_start(uint64_t hartid, uint64_t start_pa, uint64_t opaque);
void sbi_system_reset(uint32_t type, uint32_t reason);
#endif
