/* Floating-point state survives every way a process can lose the hart,
 * now that the kernel saves it only when sstatus.FS says Dirty and loads
 * it only when the process uses it again (kernel/fpu.c):
 *
 *   preempt  six processes hold distinct values in all 32 f registers and
 *            fcsr while timer ticks move them between harts and each
 *            other (each waits for 10 of its alarm ticks: a tick in user
 *            mode always yields)
 *   alarm    an alarm handler overwrites every f register and fcsr; the
 *            interrupted code sees its own again after sigreturn
 *   sleep    a process sleeps in read() while the writer loads other
 *            values, and in pause() while the spinners run
 *   fork     the child starts with its parent's values; each keeps its own
 *   exec     the new image starts with zeroed f registers and fcsr
 *   illegal  a real illegal instruction still kills (the first trap of a
 *            process whose FS is Off only loads its registers)
 *
 * Every wait is for an event (a tick count, a byte, an exit), never for
 * an amount of time. */
#include "testlib.h"
#include "rvos/syscall.h"

#define SELF "/tests/fp_lazy"
#define NREGS 33 /* f0..f31, fcsr */

/* fp_hold(in, out, num, args, flag, target): loads f0..f31 and fcsr from
 * in[0..32]; if num >= 0, makes system call num with a0..a2 = args[0..2];
 * if flag, spins until *flag >= target; stores f0..f31 and fcsr into
 * out[0..32]. Returns the system call's a0 (0 if none). Nothing between
 * the loads and the stores touches an f register. */
long fp_hold(const long *in, long *out, long num, const long *args, volatile int *flag, int target);
/* fp_dump(out): f0..f31 and fcsr into out[0..32], nothing else. */
void fp_dump(long *out);
__asm__(".text\n"
        ".globl fp_hold\n"
        "fp_hold:\n"
        "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  fld f\\n, (\\n * 8)(a0)\n"
        "  .endr\n"
        "  ld t0, 256(a0)\n"
        "  fscsr t0\n"
        "  mv t1, a1\n" /* the kernel keeps every register but a0 */
        "  li a0, 0\n"
        "  bltz a2, 1f\n"
        "  mv a7, a2\n"
        "  ld a0, 0(a3)\n"
        "  ld a1, 8(a3)\n"
        "  ld a2, 16(a3)\n"
        "  ecall\n"
        "1: beqz a4, 3f\n"
        "2: lw t0, 0(a4)\n"
        "  blt t0, a5, 2b\n"
        "3:\n"
        "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  fsd f\\n, (\\n * 8)(t1)\n"
        "  .endr\n"
        "  frcsr t0\n"
        "  sd t0, 256(t1)\n"
        "  ret\n"
        ".globl fp_dump\n"
        "fp_dump:\n"
        "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "  fsd f\\n, (\\n * 8)(a0)\n"
        "  .endr\n"
        "  frcsr t0\n"
        "  sd t0, 256(a0)\n"
        "  ret\n");

/* A value for register n of a process seeded seed; fcsr: a valid rounding
 * mode (0..4) and some flags. */
static void pattern(long seed, long *regs)
{
    for (long n = 0; n < 32; n++)
        regs[n] = (long)(0x3ff0000000000000UL ^ ((unsigned long)seed << 40) ^ ((unsigned long)n << 16)) | 0xa5;
    regs[32] = ((seed % 5) << 5) | (seed & 31);
}

/* The first register that differs, or -1. */
static int differs(const long *want, const long *got)
{
    for (int n = 0; n < NREGS; n++)
        if (want[n] != got[n])
            return n;
    return -1;
}

static volatile int ticks;

static void count_tick(void)
{
    ticks++;
    sigreturn();
}

/* Overwrites every f register and fcsr, as a handler that computes in
 * floating point would. */
static void clobber_tick(void)
{
    static long junk[NREGS];
    pattern(99, junk);
    fp_hold(junk, junk, -1, 0, 0, 0);
    ticks++;
    sigreturn();
}

static int check_regs(const char *what, long seed, const long *got)
{
    long want[NREGS];
    pattern(seed, want);
    int n = differs(want, got);
    if (n >= 0)
        printf("%s (seed %ld): %s%d = %lx, want %lx\n", what, seed, n == 32 ? "fcsr" : "f", n, got[n], want[n]);
    return n < 0 ? 0 : 1;
}

/* A spinner: its values in the registers for 10 of its own ticks. */
static int spinner(long seed)
{
    long in[NREGS], out[NREGS];
    pattern(seed, in);
    ticks = 0;
    if (sigalarm(1, count_tick) < 0)
        return 2;
    fp_hold(in, out, -1, 0, &ticks, 10);
    sigalarm(0, 0);
    return check_regs("preempt", seed, out);
}

static void test_alarm(void)
{
    long in[NREGS], out[NREGS];
    pattern(7, in);
    ticks = 0;
    CHECK(sigalarm(1, clobber_tick) == 0, "sigalarm");
    fp_hold(in, out, -1, 0, &ticks, 5);
    sigalarm(0, 0);
    CHECK(check_regs("alarm", 7, out) == 0, "registers changed across alarm handlers");
}

/* The parent sleeps in read() until the child, having loaded its own
 * values, writes one byte. */
static void test_sleep(void)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    int pid = fork();
    if (pid == 0) {
        long in[NREGS], out[NREGS];
        pattern(31, in);
        fp_hold(in, out, -1, 0, 0, 0);
        char c = 'x';
        exit(write(fds[1], &c, 1) == 1 ? check_regs("sleep writer", 31, out) : 2);
    }
    long in[NREGS], out[NREGS];
    char c = 0;
    long args[3] = {fds[0], (long)&c, 1};
    pattern(11, in);
    long n = fp_hold(in, out, SYS_read, args, 0, 0);
    CHECK(n == 1 && c == 'x', "read returned %ld", n);
    CHECK(check_regs("sleep in read", 11, out) == 0, "registers changed while asleep in read");
    CHECK(wait_status(pid) == 0, "writer failed");
    close(fds[0]);
    close(fds[1]);
    long pause_args[3] = {2, 0, 0};
    pattern(12, in);
    fp_hold(in, out, SYS_pause, pause_args, 0, 0);
    CHECK(check_regs("sleep in pause", 12, out) == 0, "registers changed while asleep in pause");
}

static void test_fork(void)
{
    long in[NREGS], out[NREGS];
    long none[3] = {0, 0, 0};
    pattern(21, in);
    long pid = fp_hold(in, out, SYS_fork, none, 0, 0);
    if (pid == 0) {
        int bad = check_regs("fork child", 21, out);
        long mine[NREGS];
        pattern(22, mine);
        fp_hold(mine, out, -1, 0, 0, 0); /* the child's own values, then exit */
        exit(bad);
    }
    CHECK(pid > 0, "fork");
    CHECK(check_regs("fork parent", 21, out) == 0, "parent's registers changed by fork");
    CHECK(wait_status((int)pid) == 0, "fork child did not see its parent's values");
    fp_hold(in, out, SYS_getpid, none, 0, 0);
    CHECK(check_regs("after child", 21, out) == 0, "parent's registers changed by its child");
}

static void test_exec(void)
{
    int pid = fork();
    if (pid == 0) {
        long in[NREGS], out[NREGS];
        pattern(41, in);
        fp_hold(in, out, -1, 0, 0, 0);
        char *argv[] = {"fp_lazy", "-exec", 0};
        exec(SELF, argv);
        exit(3);
    }
    CHECK(wait_status(pid) == 0, "exec'd image did not start with zeroed f registers");
}

static int exec_probe(void)
{
    long out[NREGS];
    fp_dump(out);
    for (int n = 0; n < NREGS; n++)
        if (out[n] != 0) {
            printf("after exec: %s%d = %lx\n", n == 32 ? "fcsr" : "f", n, out[n]);
            return 1;
        }
    return 0;
}

static int illegal(long unused)
{
    (void)unused;
    __asm__ volatile(".word 0"); /* all zeros: an illegal instruction */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "-exec") == 0)
        return exec_probe();
    test_begin("fp_lazy");
    int spinners[6];
    for (int i = 0; i < 6; i++)
        spinners[i] = spawn(spinner, 100 + i);
    test_alarm();
    test_sleep();
    test_fork();
    test_exec();
    CHECK(wait_status(spawn(illegal, 0)) == -1, "an illegal instruction did not kill");
    for (int i = 0; i < 6; i++)
        CHECK(wait_status(spinners[i]) == 0, "spinner %d saw its registers change", i);
    return test_end();
}
