/* Trap entry and exit (privileged spec 4.1.1-4.1.2: on a trap the hart
 * clears sstatus.SIE, saves the old value in SPIE and the old mode in SPP,
 * and jumps to stvec; sret undoes it).
 *
 * sscratch holds the current process's trap frame while it runs in user
 * mode, and 0 while the hart is in the kernel. Swapping sp with sscratch on
 * entry therefore tells the two cases apart without touching any other
 * register. */
#include "trap.h"

.macro SAVE_GPRS base
    sd x1, 8(\base)
    sd x3, 24(\base)
    sd x4, 32(\base)
    sd x5, 40(\base)
    sd x6, 48(\base)
    sd x7, 56(\base)
    sd x8, 64(\base)
    sd x9, 72(\base)
    sd x10, 80(\base)
    sd x11, 88(\base)
    sd x12, 96(\base)
    sd x13, 104(\base)
    sd x14, 112(\base)
    sd x15, 120(\base)
    sd x16, 128(\base)
    sd x17, 136(\base)
    sd x18, 144(\base)
    sd x19, 152(\base)
    sd x20, 160(\base)
    sd x21, 168(\base)
    sd x22, 176(\base)
    sd x23, 184(\base)
    sd x24, 192(\base)
    sd x25, 200(\base)
    sd x26, 208(\base)
    sd x27, 216(\base)
    sd x28, 224(\base)
    sd x29, 232(\base)
    sd x30, 240(\base)
    sd x31, 248(\base)
.endm

/* Restores every register but x2 (sp), x4 (tp) and the base register.
 * tp is never restored on a kernel trap: a process preempted in the kernel
 * may resume on another hart, and tp must name the hart it runs on. */
.macro LOAD_GPRS base
    ld x1, 8(\base)
    ld x3, 24(\base)
    ld x5, 40(\base)
    ld x6, 48(\base)
    ld x7, 56(\base)
    ld x8, 64(\base)
    ld x9, 72(\base)
    ld x11, 88(\base)
    ld x12, 96(\base)
    ld x13, 104(\base)
    ld x14, 112(\base)
    ld x15, 120(\base)
    ld x16, 128(\base)
    ld x17, 136(\base)
    ld x18, 144(\base)
    ld x19, 152(\base)
    ld x20, 160(\base)
    ld x21, 168(\base)
    ld x22, 176(\base)
    ld x23, 184(\base)
    ld x24, 192(\base)
    ld x25, 200(\base)
    ld x26, 208(\base)
    ld x27, 216(\base)
    ld x28, 224(\base)
    ld x29, 232(\base)
    ld x30, 240(\base)
    ld x31, 248(\base)
.endm

    .text
    .globl trap_vector
    .align 4
trap_vector:
    csrrw sp, sscratch, sp
    bnez sp, from_user

    /* From the kernel: put sp back and push a frame on the kernel stack,
     * unless sp is in (or a frame away from) the guard page below the
     * stack this hart runs on: then the stack overflowed, and pushing
     * would fault again, forever. tp is this hart's struct cpu, or 0
     * before kmain sets it; interrupts are off, so the scratch words are
     * ours until we put the registers back. */
    csrrw sp, sscratch, sp
    beqz tp, 1f
    sd t0, CPU_SCRATCH(tp)
    sd t1, CPU_SCRATCH+8(tp)
    ld t0, CPU_KSTACK_GUARD(tp)
    sub t0, sp, t0
    li t1, 4096 + TF_SIZE
    bltu t0, t1, kstack_overflow
    ld t0, CPU_SCRATCH(tp)
    ld t1, CPU_SCRATCH+8(tp)
1:  addi sp, sp, -TF_SIZE
    SAVE_GPRS sp
    addi t0, sp, TF_SIZE
    sd t0, 16(sp)
    csrr t0, sepc
    sd t0, TF_SEPC(sp)
    csrr t0, sstatus
    sd t0, TF_SSTATUS(sp)
    mv a0, sp
    call kernel_trap
    /* The handler may have switched to another process and back, which
     * overwrote sepc and sstatus: restore them from the frame. */
    ld t0, TF_SEPC(sp)
    csrw sepc, t0
    ld t0, TF_SSTATUS(sp)
    csrw sstatus, t0
    LOAD_GPRS sp
    ld x10, 80(sp)
    addi sp, sp, TF_SIZE
    sret

kstack_overflow:
    /* Report from a stack of this hart's own; never returns. */
    ld sp, CPU_EMERGENCY_SP(tp)
    csrr a0, sepc
    csrr a1, stval
    csrr a2, scause
    mv a3, fp
    call kstack_overflow_panic
2:  j 2b

from_user:
    /* sp = this process's trap frame, sscratch = user sp. */
    SAVE_GPRS sp
    csrrw t0, sscratch, zero
    sd t0, 16(sp)
    csrr t0, sepc
    sd t0, TF_SEPC(sp)
    mv a0, sp
    ld tp, TF_KTP(a0)
    ld sp, TF_KSP(a0)
    mv fp, zero
    call user_trap
1:  j 1b

    /* user_return(tf): interrupts are off and sstatus.SPP/SPIE are set up
     * for user mode. Never returns. */
    .globl user_return
user_return:
    sd tp, TF_KTP(a0)
    ld t0, TF_SEPC(a0)
    csrw sepc, t0
    csrw sscratch, a0
    LOAD_GPRS a0
    ld tp, 32(a0)
    ld sp, 16(a0)
    ld a0, 80(a0)
    sret

    /* Context switch: swtch(struct context *old, struct context *new)
     * saves the callee-saved registers into old and loads them from new. */
    .globl swtch
swtch:
    sd ra, 0(a0)
    sd sp, 8(a0)
    sd s0, 16(a0)
    sd s1, 24(a0)
    sd s2, 32(a0)
    sd s3, 40(a0)
    sd s4, 48(a0)
    sd s5, 56(a0)
    sd s6, 64(a0)
    sd s7, 72(a0)
    sd s8, 80(a0)
    sd s9, 88(a0)
    sd s10, 96(a0)
    sd s11, 104(a0)
    ld ra, 0(a1)
    ld sp, 8(a1)
    ld s0, 16(a1)
    ld s1, 24(a1)
    ld s2, 32(a1)
    ld s3, 40(a1)
    ld s4, 48(a1)
    ld s5, 56(a1)
    ld s6, 64(a1)
    ld s7, 72(a1)
    ld s8, 80(a1)
    ld s9, 88(a1)
    ld s10, 96(a1)
    ld s11, 104(a1)
    ret
