/* Control and status registers used by an S-mode kernel (privileged spec,
 * chapter 4 "Supervisor-Level ISA"). */
#ifndef RVOS_ARCH_CSR_H
#define RVOS_ARCH_CSR_H
#include <stdint.h>

#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_FS_MASK (3UL << 13)
#define SSTATUS_FS_OFF 0UL /* f instructions trap as illegal (privileged spec 4.1.1.5) */
#define SSTATUS_FS_INITIAL (1UL << 13)
#define SSTATUS_FS_CLEAN (2UL << 13)
#define SSTATUS_FS_DIRTY (3UL << 13) /* set by the hart when an f register or fcsr is written */
#define SSTATUS_SUM (1UL << 18)

#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)

#define SCAUSE_INTR (1UL << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9

#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL_INST 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

#define SATP_SV39 (8UL << 60)

#define csr_read(name)                                                                                                 \
    ({                                                                                                                 \
        uint64_t v_;                                                                                                   \
        __asm__ volatile("csrr %0, " #name : "=r"(v_));                                                                \
        v_;                                                                                                            \
    })
#define csr_write(name, val) __asm__ volatile("csrw " #name ", %0" ::"r"((uint64_t)(val)))
#define csr_set(name, bits) __asm__ volatile("csrs " #name ", %0" ::"r"((uint64_t)(bits)))
#define csr_clear(name, bits) __asm__ volatile("csrc " #name ", %0" ::"r"((uint64_t)(bits)))

static inline void intr_on(void) { csr_set(sstatus, SSTATUS_SIE); }
static inline void intr_off(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline int intr_get(void) { return (csr_read(sstatus) & SSTATUS_SIE) != 0; }
static inline uint64_t rdtime(void) { return csr_read(time); }
static inline void wfi(void) { __asm__ volatile("wfi"); }
#endif
