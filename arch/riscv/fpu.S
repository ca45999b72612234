/* Moving user floating-point state between the f registers and memory.
 * The kernel itself is compiled without F/D (lp64, rv64imac), so the f
 * registers only ever hold some process's values; kernel/fpu.c decides
 * whose, and when they need saving (lazily: only when sstatus.FS says
 * Dirty). Layout: f0..f31, then fcsr.
 *
 * Both routines run with interrupts off: a preemption halfway through
 * would hand the hart to a process whose FS is Off, and the rest of the
 * loads would trap. fp_restore sets FS to Dirty first (the registers are
 * about to change, and f instructions are illegal while FS is Off,
 * privileged spec 4.1.1.5); fp_regs_save needs FS not Off, which its
 * callers check (fp_save in kernel/fpu.c is the one to call). */
#define SIE 2
#define FS_DIRTY (3 << 13)
    .option push
    .option arch, +d
    .text
    .globl fp_regs_save
fp_regs_save:
    csrrci t1, sstatus, SIE
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd f\n, (\n*8)(a0)
    .endr
    frcsr t0
    sd t0, 256(a0)
    andi t1, t1, SIE
    csrs sstatus, t1
    ret

    .globl fp_restore
fp_restore:
    csrrci t1, sstatus, SIE
    li t0, FS_DIRTY
    csrs sstatus, t0
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld f\n, (\n*8)(a0)
    .endr
    ld t0, 256(a0)
    fscsr t0
    andi t1, t1, SIE
    csrs sstatus, t1
    ret
    .option pop
