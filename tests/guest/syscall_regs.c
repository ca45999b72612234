/* A system call with every register live: the trap path saves and
 * restores what user code holds. Every integer register but sp (x2) and
 * a7 (the call number) carries a distinct value into the ecall, a0..a6
 * included; afterwards every one of them but a0 (the result) must hold
 * the same value. Checked for a call that returns at once (getpid), one
 * that sleeps and switches (pause), one that yields (sched_yield) and one
 * the kernel rejects (an unknown number). */
#include "testlib.h"
#include "rvos/syscall.h"

/* gpr_ecall(in, out, num): x1, x3..x31 from in[1], in[3..31] (a7 from
 * num instead), ecall, then x1..x31 into out[1..31]. Saves and restores
 * the registers the C caller relies on (ra, gp, tp, s0..s11). */
void gpr_ecall(const long *in, long *out, long num);
__asm__(".text\n"
        ".globl gpr_ecall\n"
        "gpr_ecall:\n"
        "  addi sp, sp, -128\n"
        "  sd ra, 0(sp); sd gp, 8(sp); sd tp, 16(sp); sd a1, 24(sp)\n"
        "  sd s0, 32(sp); sd s1, 40(sp); sd s2, 48(sp); sd s3, 56(sp); sd s4, 64(sp); sd s5, 72(sp)\n"
        "  sd s6, 80(sp); sd s7, 88(sp); sd s8, 96(sp); sd s9, 104(sp); sd s10, 112(sp); sd s11, 120(sp)\n"
        "  mv t6, a0\n"
        "  mv a7, a2\n"
        "  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
        "  ld x\\n, (\\n * 8)(t6)\n"
        "  .endr\n"
        "  ld t6, (31 * 8)(t6)\n"
        "  ecall\n"
        "  addi sp, sp, -256\n"
        "  .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  sd x\\n, (\\n * 8)(sp)\n"
        "  .endr\n"
        "  ld a1, (256 + 24)(sp)\n" /* out */
        "  li t0, 8\n"
        "1: add t1, sp, t0\n"
        "  ld t2, 0(t1)\n"
        "  add t1, a1, t0\n"
        "  sd t2, 0(t1)\n"
        "  addi t0, t0, 8\n"
        "  li t1, 256\n"
        "  blt t0, t1, 1b\n"
        "  addi sp, sp, 256\n"
        "  ld ra, 0(sp); ld gp, 8(sp); ld tp, 16(sp)\n"
        "  ld s0, 32(sp); ld s1, 40(sp); ld s2, 48(sp); ld s3, 56(sp); ld s4, 64(sp); ld s5, 72(sp)\n"
        "  ld s6, 80(sp); ld s7, 88(sp); ld s8, 96(sp); ld s9, 104(sp); ld s10, 112(sp); ld s11, 120(sp)\n"
        "  addi sp, sp, 128\n"
        "  ret\n");

static void one(const char *what, long num, long a0)
{
    long in[32], out[32];
    for (long n = 0; n < 32; n++)
        in[n] = (long)(0x6c00000000000000UL | ((unsigned long)n << 40) | ((unsigned long)num << 16)) | n;
    in[10] = a0;
    memset(out, 0, sizeof out);
    gpr_ecall(in, out, num);
    for (int n = 1; n < 32; n++) {
        if (n == 2 || n == 10)
            continue;
        long want = n == 17 ? num : in[n];
        CHECK(out[n] == want, "%s: x%d = %lx after the call, want %lx", what, n, out[n], want);
    }
}

int main(void)
{
    test_begin("syscall_regs");
    one("getpid", SYS_getpid, 0);
    one("pause", SYS_pause, 1);
    one("sched_yield", SYS_sched_yield, 0);
    one("unknown", 39, 0);
    return test_end();
}
