/* SBI calls: a7 = extension id, a6 = function id, a0..a5 = arguments;
 * the result comes back as (error, value) in a0/a1 (SBI spec, chapter 3). */
#include "sbi.h"

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2, long a3)
{
    register long r0 __asm__("a0") = a0;
    register long r1 __asm__("a1") = a1;
    register long r2 __asm__("a2") = a2;
    register long r3 __asm__("a3") = a3;
    register long r6 __asm__("a6") = fid;
    register long r7 __asm__("a7") = ext;
    __asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r3), "r"(r6), "r"(r7) : "memory");
    return (struct sbiret){r0, r1};
}

void sbi_set_timer(uint64_t when) { sbi_call(SBI_EXT_TIME, 0, (long)when, 0, 0, 0); }

void sbi_send_ipi(uint64_t hart_mask, uint64_t hart_base)
{
    sbi_call(SBI_EXT_IPI, 0, (long)hart_mask, (long)hart_base, 0, 0);
}

void sbi_remote_sfence_vma(uint64_t hart_mask, uint64_t hart_base, uint64_t start, uint64_t size)
{
    sbi_call(SBI_EXT_RFENCE, 1, (long)hart_mask, (long)hart_base, (long)start, (long)size);
}

long sbi_hart_start(uint64_t hartid, uint64_t start_pa, uint64_t opaque)
{
    return sbi_call(SBI_EXT_HSM, 0, (long)hartid, (long)start_pa, (long)opaque, 0).error;
}

void sbi_system_reset(uint32_t type, uint32_t reason) { sbi_call(SBI_EXT_SRST, 0, type, reason, 0, 0); }
