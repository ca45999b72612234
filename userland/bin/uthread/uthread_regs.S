/* long uthread_regs_check(long seed): a test of the register contract
 * that user-level threads rely on. Puts values made from seed in s0-s11
 * and fs0-fs11, spins a while (a timer interrupt may move this process
 * off its hart and back: the kernel must bring every register back), calls
 * uthread_yield (other threads run, with values of their own in the same
 * registers: uthread_switch must bring them back), spins again, and
 * returns how many of the 24 registers no longer hold their value. It
 * saves and restores the callee-saved registers itself, as any function
 * must. */
    .text
    .globl uthread_regs_check
uthread_regs_check:
    addi sp, sp, -224
    sd ra, 0(sp)
    sd a0, 8(sp)
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    sd s\n, (16 + \n * 8)(sp)
    fsd fs\n, (112 + \n * 8)(sp)
    .endr
    /* s_n = seed * 16 + n, fs_n the same as a double */
    slli t0, a0, 4
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    addi s\n, t0, \n
    fcvt.d.l fs\n, s\n
    .endr
    li t1, 200000
1:  addi t1, t1, -1
    bnez t1, 1b
    call uthread_yield
    li t1, 200000
2:  addi t1, t1, -1
    bnez t1, 2b
    /* count what changed */
    ld t0, 8(sp)
    slli t0, t0, 4
    li a0, 0
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    addi t1, t0, \n
    sub t2, s\n, t1
    snez t2, t2
    add a0, a0, t2
    fcvt.d.l ft0, t1
    feq.d t2, fs\n, ft0
    seqz t2, t2
    add a0, a0, t2
    .endr
    ld ra, 0(sp)
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ld s\n, (16 + \n * 8)(sp)
    fld fs\n, (112 + \n * 8)(sp)
    .endr
    addi sp, sp, 224
    ret
